import { formatDuration } from "@/lib/format";

/** "21:32:09 (25m 3s ago)" from an ISO time or epoch ms, against the snapshot's clock. */
export function clockAndAge(at: string | number | null, now: number): { clock: string; ago: string } | null {
  if (at === null) return null;
  const t = typeof at === "number" ? at : new Date(at).getTime();
  if (Number.isNaN(t)) return null;
  const clock = new Date(t).toLocaleTimeString("en-GB", { hour12: false });
  const ageS = Math.max(0, (now - t) / 1000);
  return { clock, ago: `${formatDuration(ageS)} ago` };
}

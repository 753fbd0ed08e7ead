"use client";

import { formatDuration } from "@/lib/format";
import { dataAgeSeconds } from "./data-age-model";
import { useNow } from "@/components/ui/use-now";

/**
 * Over a dimmed wall when the feed has stopped: diagonal stripes and one sentence, so nobody across
 * the room mistakes frozen green for healthy.
 */
export function StaleOverlay({ at, receivedAt, reconnecting }: { at: number | null; receivedAt: number | null; reconnecting: boolean }) {
  const now = useNow();
  const age = now === null || at === null || receivedAt === null ? null : dataAgeSeconds(now, at, receivedAt);
  return (
    <div
      className="pointer-events-none fixed inset-0 z-20 flex items-center justify-center"
      style={{ backgroundImage: "repeating-linear-gradient(135deg, rgba(239,68,68,0.22) 0 1.6rem, rgba(2,6,23,0.35) 1.6rem 3.2rem)" }}
      data-testid="wall-stale-overlay"
    >
      <div role="alert" className="rounded-2xl border-4 border-red-500 bg-slate-950/95 px-[3rem] py-[1.6rem] text-center shadow-2xl">
        <p className="text-[4.5rem] leading-none font-black tracking-tight text-red-300">
          <span aria-hidden="true">✖ </span>DATA STALE
        </p>
        <p className="mt-[0.8rem] text-[1.6rem] text-slate-100 tabular-nums">
          {at === null ? "No data has arrived from the dashboard server." : `No update for ${age === null ? "…" : formatDuration(age)}: what is shown may be out of date.`}
        </p>
        <p className="mt-[0.3rem] text-[1.2rem] text-slate-300">{reconnecting ? "Reconnecting to the live feed…" : "Waiting for the live feed…"}</p>
      </div>
    </div>
  );
}

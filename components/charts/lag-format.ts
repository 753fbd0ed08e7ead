import { formatBytes } from "@/lib/format";

export type LagUnit = "bytes" | "seconds";

/** Strokes shared by the lag chart and its legend. */
export const LAG_LINE = "#38bdf8"; // sky-400
export const LAG_LIMIT = "#fbbf24"; // amber-400

export function formatSeconds(v: number | null | undefined): string {
  if (v === null || v === undefined) return "—";
  if (Number.isInteger(v)) return `${v} s`;
  if (v < 10) return `${v.toFixed(v < 1 ? 2 : 1)} s`;
  return `${Math.round(v)} s`;
}

export const formatLag = (unit: LagUnit, v: number | null | undefined) => (unit === "bytes" ? formatBytes(v === null || v === undefined ? v : Math.round(v)) : formatSeconds(v));

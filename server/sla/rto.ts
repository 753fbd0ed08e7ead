import { FAILURE_MODES, RTO_TARGETS, type FailureMode } from "@/lib/rto";
import { quantile } from "./failover-cost";

/**
 * The RTO scoreboard: per failure mode, how long detection (suspected → confirmed) and recovery
 * (suspected → recovered) took, against the DR document's recovery-time target. Pure: the clock is
 * `now`. The SLA report feeds it the store's incidents; the chaos runner its own measurements.
 */

/** One incident as measured: epoch ms. `confirmedAt` null: never confirmed; `recoveredAt` null: still open. */
export interface RtoIncident {
  mode: FailureMode | null;
  suspectedAt: number;
  confirmedAt: number | null;
  recoveredAt: number | null;
}

export interface RtoFigure {
  /** Incidents that have this figure. */
  count: number;
  p50Ms: number | null;
  maxMs: number | null;
}

export type RtoVerdict = "met" | "missed" | "no-data";

export interface RtoRow {
  mode: FailureMode;
  label: string;
  /** The seed's detection method. */
  detectionMethod: string;
  targetMinMs: number;
  targetMaxMs: number;
  /** Every incident of this mode, open or closed. */
  incidents: number;
  detection: RtoFigure;
  recovery: RtoFigure;
  /** Still open at `now`, and the longest of them so far. */
  open: number;
  longestOpenMs: number | null;
  /**
   * `missed` if any recovery (or an open incident so far) exceeded the target's upper bound; `met`
   * if some recovered and none did; `no-data` with nothing recovered and nothing over.
   */
  verdict: RtoVerdict;
}

function figure(values: number[]): RtoFigure {
  const sorted = values.toSorted((a, b) => a - b);
  return { count: sorted.length, p50Ms: quantile(sorted, 0.5), maxMs: sorted.length ? sorted[sorted.length - 1]! : null };
}

/**
 * One row per failure mode, in the document's order, every mode listed even without incidents.
 * Unclassified incidents are left out (`unclassified` counts them). A time before `suspectedAt`
 * (a clock step) counts as 0, never negative.
 */
export function rtoScoreboard(incidents: readonly RtoIncident[], now: number): { rows: RtoRow[]; unclassified: number } {
  const rows = FAILURE_MODES.map<RtoRow>((mode) => {
    const mine = incidents.filter((i) => i.mode === mode);
    const target = RTO_TARGETS[mode];
    const since = (i: RtoIncident, t: number) => Math.max(0, t - i.suspectedAt);
    const detection = figure(mine.flatMap((i) => (i.confirmedAt === null ? [] : [since(i, i.confirmedAt)])));
    const recovery = figure(mine.flatMap((i) => (i.recoveredAt === null ? [] : [since(i, i.recoveredAt)])));
    const open = mine.filter((i) => i.recoveredAt === null);
    const longestOpenMs = open.length ? Math.max(...open.map((i) => since(i, now))) : null;
    const over = (recovery.maxMs ?? 0) > target.maxMs || (longestOpenMs ?? 0) > target.maxMs;
    return {
      mode,
      label: target.label,
      detectionMethod: target.detection,
      targetMinMs: target.minMs,
      targetMaxMs: target.maxMs,
      incidents: mine.length,
      detection,
      recovery,
      open: open.length,
      longestOpenMs,
      verdict: over ? "missed" : recovery.count > 0 ? "met" : "no-data",
    };
  });
  return { rows, unclassified: incidents.filter((i) => i.mode === null).length };
}

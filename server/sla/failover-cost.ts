import { allowedDowntimeMs } from "./budget";
import { calendarPeriod } from "./period";

/**
 * Cost preview: what a typical failover of a component spends of its monthly budget, from the
 * measured durations of its past failovers (all of a failover is taken as counted downtime).
 */

/** Where the durations came from: the failover workflow's records, outages the monitor measured, or nothing. */
export type FailoverCostBasis = "actions" | "outages" | "none";

const usable = (xs: readonly number[]) => xs.filter((d) => Number.isFinite(d) && d >= 0);

/**
 * Recorded failovers (execute → verified) time the failover itself, so they are preferred; without
 * any, outages measured from start to end stand in for them.
 */
export function failoverDurations(recordedMs: readonly number[], outagesMs: readonly number[]): { basis: FailoverCostBasis; durationsMs: number[] } {
  const recorded = usable(recordedMs);
  if (recorded.length > 0) return { basis: "actions", durationsMs: recorded };
  const outages = usable(outagesMs);
  return outages.length > 0 ? { basis: "outages", durationsMs: outages } : { basis: "none", durationsMs: [] };
}

export interface FailoverCostInput {
  /** Measured failover durations, ms (order does not matter; non-finite or negative values are dropped). */
  durationsMs: readonly number[];
  targetPercent: number;
  now: number;
  /** For the month's boundaries (default UTC). */
  timeZone?: string;
  /** What is left of this month's budget, if known: shares of it are reported too. */
  remainingMs?: number;
}

export interface FailoverCost {
  count: number;
  medianMs: number | null;
  p90Ms: number | null;
  /** The allowance of the calendar month containing `now`. */
  monthlyBudgetMs: number;
  /** medianMs / monthlyBudgetMs, as a fraction (0.041 = 4.1%). */
  medianShare: number | null;
  p90Share: number | null;
  /** The same against what remains, when remainingMs was given and is positive. */
  medianShareOfRemaining: number | null;
  p90ShareOfRemaining: number | null;
  /** How many median failovers the whole monthly budget allows. */
  failoversPerMonth: number | null;
  /** "One failover (median 12.0 s) uses 4.6% of this month's budget (p90: 7.7%)." or null without data. */
  summary: string | null;
}

/** Linear interpolation between closest ranks (the usual "type 7"): the median of [1, 2] is 1.5. */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const pos = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function failoverCost(input: FailoverCostInput): FailoverCost {
  const sorted = usable(input.durationsMs).sort((a, b) => a - b);
  const { from, to } = calendarPeriod("month", input.now, input.timeZone);
  const monthlyBudgetMs = allowedDowntimeMs(input.targetPercent, to - from);
  const medianMs = quantile(sorted, 0.5);
  const p90Ms = quantile(sorted, 0.9);
  const share = (x: number | null, of: number | undefined) => (x === null || of === undefined || of <= 0 ? null : x / of);
  const medianShare = share(medianMs, monthlyBudgetMs);
  const p90Share = share(p90Ms, monthlyBudgetMs);
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  return {
    count: sorted.length,
    medianMs,
    p90Ms,
    monthlyBudgetMs,
    medianShare,
    p90Share,
    medianShareOfRemaining: share(medianMs, input.remainingMs),
    p90ShareOfRemaining: share(p90Ms, input.remainingMs),
    failoversPerMonth: medianMs !== null && medianMs > 0 ? Math.floor(monthlyBudgetMs / medianMs) : null,
    summary:
      medianMs === null || medianShare === null
        ? null
        : `One failover (median ${(medianMs / 1000).toFixed(1)} s) uses ${pct(medianShare)} of this month's budget` +
          (p90Share === null ? "." : ` (p90: ${pct(p90Share)}).`),
  };
}

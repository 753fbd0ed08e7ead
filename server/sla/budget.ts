import { measureDowntime, type Availability, type DowntimeReport, type DowntimeView } from "./downtime";
import { windowPeriod, type BudgetWindow } from "./period";
import { DEFAULT_POLICY, type DowntimePolicy, type MaintenanceWindow } from "./policy";
import type { Segment } from "./timeline";

/**
 * Downtime budgets: allowed = (1 − target) × window length, used = counted downtime in the
 * window, remaining = allowed − used (negative once exhausted). All in integer ms.
 */

export interface BudgetInput {
  /** Availability target in percent, e.g. 99.995. */
  targetPercent: number;
  window: BudgetWindow;
  now: number;
  /** The component's timeline; it should cover the window up to `now` (uncovered time is UNKNOWN). */
  segments: readonly Segment[];
  componentId?: string;
  policy?: DowntimePolicy;
  maintenance?: readonly MaintenanceWindow[];
}

/** One reading of the budget: with maintenance counted, or set aside. */
export interface BudgetFigures {
  usedMs: number;
  /** allowedMs − usedMs; negative when overspent. */
  remainingMs: number;
  /** Some downtime was counted and nothing remains. */
  exhausted: boolean;
  /** When the counted downtime reached the allowance (null if it has not). */
  exhaustedAt: number | null;
  /** usedMs / allowedMs (null when nothing is allowed). */
  usedShare: number | null;
  /** Average burn over the elapsed window: (usedMs / elapsedMs) / (1 − target). 1 spends exactly the budget. */
  burnRate: number | null;
  /**
   * At the average burn so far (usedMs per elapsed ms), when the remainder runs out; exhaustedAt if
   * already exhausted; null with no downtime. Linear: for a rolling window it ignores downtime
   * that will leave the window.
   */
  projectedExhaustionAt: number | null;
  /** Calendar and custom windows: whether that happens before the window ends. null for rolling windows. */
  projectedBeforeWindowEnd: boolean | null;
  /** Known-time and pessimistic availability over the window so far; unknown is never up. */
  achieved: Availability;
  /** Monitoring gaps in the window so far: they may hide downtime. */
  unknownMs: number;
  noDataMs: number;
  /** usedMs if every gap and NO_DATA millisecond had been down: the worst case. */
  usedIfUnknownDownMs: number;
  /** Maintenance time set aside (0 when maintenance is counted). */
  maintenanceMs: number;
}

export interface Budget extends BudgetFigures {
  targetPercent: number;
  window: BudgetWindow;
  from: number;
  to: number;
  lengthMs: number;
  elapsedMs: number;
  allowedMs: number;
  /** The policy's choice; the top-level figures follow it. */
  maintenancePolicy: DowntimePolicy["maintenance"];
  includingMaintenance: BudgetFigures;
  excludingMaintenance: BudgetFigures;
  /** The measures and incidents behind the figures. */
  report: DowntimeReport;
}

/** (1 − target/100) × length, to the nearest ms. */
export function allowedDowntimeMs(targetPercent: number, lengthMs: number): number {
  if (!(targetPercent >= 0 && targetPercent <= 100)) throw new RangeError(`target must be a percentage in [0, 100], got ${targetPercent}`);
  return Math.round(((100 - targetPercent) * Math.max(0, lengthMs)) / 100);
}

export function computeBudget(input: BudgetInput): Budget {
  const { targetPercent, window, now } = input;
  const { from, to } = windowPeriod(window, now);
  const lengthMs = Math.max(0, to - from);
  const allowedMs = allowedDowntimeMs(targetPercent, lengthMs);
  const policy = input.policy ?? DEFAULT_POLICY;
  const report = measureDowntime({ segments: input.segments, from, to, now, componentId: input.componentId, policy, maintenance: input.maintenance });
  const ctx = { allowedMs, elapsedMs: report.elapsedMs, targetPercent, from, to, now, rolling: window.kind === "rolling" };
  const includingMaintenance = figures(report.includingMaintenance, ctx);
  const excludingMaintenance = figures(report.excludingMaintenance, ctx);
  const counted = policy.maintenance === "exclude" ? excludingMaintenance : includingMaintenance;
  return {
    ...counted,
    targetPercent,
    window,
    from,
    to,
    lengthMs,
    elapsedMs: report.elapsedMs,
    allowedMs,
    maintenancePolicy: policy.maintenance,
    includingMaintenance,
    excludingMaintenance,
    report,
  };
}

interface FigureContext {
  allowedMs: number;
  elapsedMs: number;
  targetPercent: number;
  from: number;
  to: number;
  now: number;
  rolling: boolean;
}

function figures(view: DowntimeView, c: FigureContext): BudgetFigures {
  const { measures: m } = view;
  const usedMs = m.downMs;
  const remainingMs = c.allowedMs - usedMs;
  const exhausted = usedMs > 0 && remainingMs <= 0;
  const exhaustedAt = exhausted ? exhaustionInstant(view, c.allowedMs) : null;
  const errorBudget = (100 - c.targetPercent) / 100;
  const burnRate = c.elapsedMs > 0 && errorBudget > 0 ? usedMs / c.elapsedMs / errorBudget : null;

  let projectedExhaustionAt: number | null = null;
  if (exhausted) projectedExhaustionAt = exhaustedAt;
  else if (usedMs > 0 && c.elapsedMs > 0) projectedExhaustionAt = Math.round(Math.min(c.now, c.to) + (remainingMs * c.elapsedMs) / usedMs);
  return {
    usedMs,
    remainingMs,
    exhausted,
    exhaustedAt,
    usedShare: c.allowedMs > 0 ? usedMs / c.allowedMs : null,
    burnRate,
    projectedExhaustionAt,
    projectedBeforeWindowEnd: c.rolling || projectedExhaustionAt === null ? null : projectedExhaustionAt < c.to,
    achieved: view.availability,
    unknownMs: m.unknownMs,
    noDataMs: m.noDataMs,
    usedIfUnknownDownMs: usedMs + m.unknownMs + m.noDataMs,
    maintenanceMs: m.maintenanceMs,
  };
}

/** Walks the incidents in order until their total reaches the allowance. */
function exhaustionInstant(view: DowntimeView, allowedMs: number): number | null {
  let spent = 0;
  for (const i of view.incidents) {
    if (spent + i.durationMs >= allowedMs) return i.start + Math.max(0, allowedMs - spent);
    spent += i.durationMs;
  }
  return null;
}

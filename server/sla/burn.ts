import { measureDowntime } from "./downtime";
import { HOUR, MINUTE, DAY } from "./period";
import { DEFAULT_POLICY, type DowntimePolicy, type MaintenanceWindow } from "./policy";
import type { Segment } from "./timeline";

/**
 * Multi-window burn-rate alerts (Google SRE workbook, "Alerting on SLOs", table 5-8):
 * burn rate = downtime fraction in a window / (1 − target). An alert fires when both its long and
 * its short window burn at least `factor`: the long one proves it matters, the short one that it
 * is still happening.
 */

export interface BurnRule {
  name: string;
  severity: "page" | "ticket";
  factor: number;
  longWindowMs: number;
  shortWindowMs: number;
}

/** 14.4× for 1 h spends 2% of a 30-day budget; 6× for 6 h spends 5%; 1× for 3 days spends 10%. */
export const SRE_WORKBOOK_RULES: readonly BurnRule[] = [
  { name: "fast burn", severity: "page", factor: 14.4, longWindowMs: HOUR, shortWindowMs: 5 * MINUTE },
  { name: "sustained burn", severity: "page", factor: 6, longWindowMs: 6 * HOUR, shortWindowMs: 30 * MINUTE },
  { name: "slow burn", severity: "ticket", factor: 1, longWindowMs: 3 * DAY, shortWindowMs: 6 * HOUR },
];

export interface BurnInput {
  segments: readonly Segment[];
  now: number;
  targetPercent: number;
  componentId?: string;
  policy?: DowntimePolicy;
  maintenance?: readonly MaintenanceWindow[];
}

export interface BurnFigure {
  windowMs: number;
  from: number;
  to: number;
  downMs: number;
  /** Time with a verdict (down or not); the fraction's denominator. */
  knownMs: number;
  /** Gaps and NO_DATA in the window: the figure says nothing about them. */
  unknownMs: number;
  /** downMs / knownMs; null when nothing in the window is known. */
  downFraction: number | null;
  /** downFraction / (1 − target); null when nothing is known. */
  burnRate: number | null;
}

export interface BurnAlert {
  rule: BurnRule;
  long: BurnFigure;
  short: BurnFigure;
  firing: boolean;
}

export interface BurnAlerts {
  alerts: BurnAlert[];
  firing: BurnAlert[];
  page: boolean;
  ticket: boolean;
}

/** Compared with a relative tolerance so that exactly 14.4× fires despite binary fractions. */
const TOLERANCE = 1e-9;

/** The burn over [now − windowMs, now), maintenance treated as the policy says. */
export function burnOver(input: BurnInput & { windowMs: number }): BurnFigure {
  const { now, windowMs, targetPercent } = input;
  const from = now - windowMs;
  const r = measureDowntime({ segments: input.segments, from, to: now, now, componentId: input.componentId, policy: input.policy ?? DEFAULT_POLICY, maintenance: input.maintenance });
  const m = r.counted.measures;
  const knownMs = r.counted.availability.knownMs;
  const downFraction = knownMs > 0 ? m.downMs / knownMs : null;
  const errorBudget = (100 - targetPercent) / 100;
  return {
    windowMs,
    from,
    to: now,
    downMs: m.downMs,
    knownMs,
    unknownMs: m.unknownMs + m.noDataMs,
    downFraction,
    burnRate: downFraction === null ? null : errorBudget > 0 ? downFraction / errorBudget : downFraction > 0 ? Infinity : 0,
  };
}

export function evaluateBurnAlerts(input: BurnInput & { rules?: readonly BurnRule[] }): BurnAlerts {
  const alerts = (input.rules ?? SRE_WORKBOOK_RULES).map<BurnAlert>((rule) => {
    const long = burnOver({ ...input, windowMs: rule.longWindowMs });
    const short = burnOver({ ...input, windowMs: rule.shortWindowMs });
    return { rule, long, short, firing: reaches(long, rule.factor) && reaches(short, rule.factor) };
  });
  const firing = alerts.filter((a) => a.firing);
  return { alerts, firing, page: firing.some((a) => a.rule.severity === "page"), ticket: firing.some((a) => a.rule.severity === "ticket") };
}

const reaches = (f: BurnFigure, factor: number) => f.burnRate !== null && f.burnRate > 0 && f.burnRate >= factor * (1 - TOLERANCE);

import type { Config } from "@/server/config/load";
import type { MaintenanceView } from "./maintenance";
import { type MaintenanceWindow, computeBudget } from "@/server/sla";
import type { SubjectTimelines } from "./timelines";
import { slaSubjects } from "./subjects";

export interface WallBudget {
  id: string;
  /** What remains of this calendar month's allowance (negative when overspent), by the component's policy. */
  remainingMs: number;
  allowedMs: number;
  usedMs: number;
  exhausted: boolean;
}

export interface SlaWall {
  at: number;
  /** Per component; absent until the store holds a monitor run in this month (the wall then shows nothing). */
  budgets: WallBudget[];
  maintenance: MaintenanceView[];
}

/** The month's budget per component, only where some of the month is known (else the wall leaves the space out). */
export function wallBudgets(config: Config, timelines: SubjectTimelines, maintenance: readonly MaintenanceWindow[], now: number): WallBudget[] {
  const { components } = slaSubjects(config);
  const out: WallBudget[] = [];
  for (const c of components) {
    const segments = timelines.segments.get(c.id) ?? [];
    if (!segments.some((s) => s.status !== "UNKNOWN" && s.status !== "NO_DATA")) continue;
    const b = computeBudget({ targetPercent: c.targetPercent, window: { kind: "month", timeZone: config.sla.timeZone }, now, segments, componentId: c.id, policy: c.policy, maintenance });
    out.push({ id: c.id, remainingMs: b.remainingMs, allowedMs: b.allowedMs, usedMs: b.usedMs, exhausted: b.exhausted });
  }
  return out;
}

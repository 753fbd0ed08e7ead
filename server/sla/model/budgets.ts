import { type Availability, type BudgetFigures, type FailoverCost, type FailoverCostBasis, type MaintenanceWindow, type TimelineStatus, computeBudget, evaluateBurnAlerts, failoverCost, failoverDurations, measureDowntime, measuredFailovers } from "@/server/sla";
import type { BudgetWindowId } from "@/lib/sla";
import type { Config } from "@/server/config/load";
import { type SlaFailover, describeIncidents, measuredOutages } from "./incidents";
import { subjectHeader, type SlaSubject, type SubjectHeader } from "./subjects";
import type { SubjectTimelines, TimelineInputs } from "./timelines";
import { budgetWindows } from "./report-period";
import { burnRulesOf } from "@/server/sla/config";
import { systemWindows } from "./maintenance";

/** One reading of a budget, flattened for the page: the budget's figures with its availability inlined. */
export type FigureView = Omit<BudgetFigures, "achieved"> & Pick<Availability, "knownPercent" | "pessimisticPercent">;

const figureView = (f: BudgetFigures): FigureView => ({
  usedMs: f.usedMs,
  remainingMs: f.remainingMs,
  exhausted: f.exhausted,
  exhaustedAt: f.exhaustedAt,
  usedShare: f.usedShare,
  burnRate: f.burnRate,
  projectedExhaustionAt: f.projectedExhaustionAt,
  projectedBeforeWindowEnd: f.projectedBeforeWindowEnd,
  knownPercent: f.achieved.knownPercent,
  pessimisticPercent: f.achieved.pessimisticPercent,
  unknownMs: f.unknownMs,
  noDataMs: f.noDataMs,
  usedIfUnknownDownMs: f.usedIfUnknownDownMs,
  maintenanceMs: f.maintenanceMs,
});

export interface WindowBudget {
  id: BudgetWindowId;
  from: number;
  to: number;
  elapsedMs: number;
  allowedMs: number;
  /** The figures the subject's maintenance policy picks. */
  counted: FigureView;
  includingMaintenance: FigureView;
  excludingMaintenance: FigureView;
  /** Raw time per status in the window so far (before any policy). */
  byStatus: Record<TimelineStatus, number>;
}

export interface BurnView {
  name: string;
  severity: "page" | "ticket";
  factor: number;
  longWindowMs: number;
  shortWindowMs: number;
  longBurnRate: number | null;
  shortBurnRate: number | null;
  /** Gaps and NO_DATA in the long window: the burn says nothing about them. */
  longUnknownMs: number;
  firing: boolean;
}

export interface SubjectBudgets extends SubjectHeader {
  /** The status at `now` on the SLA timeline (UNKNOWN when no monitor run covers now). */
  statusNow: TimelineStatus;
  windows: WindowBudget[];
  burn: { rules: BurnView[]; page: boolean; ticket: boolean };
  /** The counted incident still open at `now`, if any. */
  openIncident: { start: number; durationMs: number } | null;
  failoverCost: FailoverCost & { basis: FailoverCostBasis; source: string };
}

export interface BudgetInputs {
  config: Config;
  timelines: SubjectTimelines;
  transitions: TimelineInputs["transitions"];
  maintenance: readonly MaintenanceWindow[];
  /** Recorded actions executed over the timelines' span. */
  failovers: readonly SlaFailover[];
  now: number;
}

export function subjectBudgets(subject: SlaSubject, inp: BudgetInputs): SubjectBudgets {
  const { config, now, timelines } = inp;
  const segments = timelines.segments.get(subject.id) ?? [];
  const maintenance = subject.kind === "system" ? systemWindows(inp.maintenance) : inp.maintenance;
  const common = { targetPercent: subject.targetPercent, now, segments, componentId: subject.id, policy: subject.policy, maintenance };
  const windows = budgetWindows(config.sla.timeZone).map<WindowBudget>(({ id, window }) => {
    const b = computeBudget({ ...common, window });
    return {
      id,
      from: b.from,
      to: b.to,
      elapsedMs: b.elapsedMs,
      allowedMs: b.allowedMs,
      counted: figureView(b),
      includingMaintenance: figureView(b.includingMaintenance),
      excludingMaintenance: figureView(b.excludingMaintenance),
      byStatus: b.report.byStatus,
    };
  });
  const burn = evaluateBurnAlerts({ ...common, rules: burnRulesOf(config.sla) });
  const span = measureDowntime({ segments, from: timelines.from, to: now, now, componentId: subject.id, policy: subject.policy, maintenance });
  const open = span.counted.incidents.find((i) => i.open);
  const month = windows.find((w) => w.id === "month")!;
  const isComponent = subject.kind === "component";
  const recorded = isComponent ? measuredFailovers(inp.failovers.filter((f) => f.componentId === subject.id && f.executingAt !== null && f.executingAt >= timelines.from)) : [];
  const outages = isComponent ? measuredOutages(describeIncidents(subject, span.includingMaintenance.incidents, segments, inp.transitions)) : [];
  const { basis, durationsMs } = failoverDurations(recorded, outages);
  const cost = failoverCost({ durationsMs, targetPercent: subject.targetPercent, now, timeZone: config.sla.timeZone, remainingMs: month.counted.remainingMs });
  const last = segments[segments.length - 1];
  return {
    ...subjectHeader(subject),
    statusNow: last && last.end >= now ? last.status : "UNKNOWN",
    windows,
    burn: {
      rules: burn.alerts.map((a) => ({
        name: a.rule.name,
        severity: a.rule.severity,
        factor: a.rule.factor,
        longWindowMs: a.rule.longWindowMs,
        shortWindowMs: a.rule.shortWindowMs,
        longBurnRate: a.long.burnRate,
        shortBurnRate: a.short.burnRate,
        longUnknownMs: a.long.unknownMs,
        firing: a.firing,
      })),
      page: burn.page,
      ticket: burn.ticket,
    },
    openIncident: open ? { start: open.start, durationMs: open.durationMs } : null,
    failoverCost: { ...cost, basis, source: costSource(basis, durationsMs.length, timelines.from) },
  };
}

function costSource(basis: FailoverCostBasis, n: number, since: number): string {
  const day = new Date(since).toISOString().slice(0, 10);
  const s = n === 1 ? "" : "s";
  if (basis === "actions") return `${n} succeeded failover${s} recorded by the failover workflow, execute to verified, since ${day}`;
  if (basis === "outages") return `no failover recorded since ${day}: ${n} outage${s} measured from start to end instead`;
  return `no failover recorded and no outage measured from start to end since ${day}`;
}

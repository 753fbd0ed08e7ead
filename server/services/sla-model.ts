/**
 * The SLA service's pure parts: from stored transitions, monitor runs and maintenance windows (and
 * `now`) to the budgets, reports and wall figures the pages show. No I/O, no clock; the maths
 * itself is server/sla. ./sla.ts reads the store and calls these.
 */
import { BUDGET_WINDOWS, SYSTEM_ID, type BudgetWindowId, type ReportPeriodKind } from "@/lib/sla";
import type { Status } from "@/lib/status";
import type { Config } from "@/server/config/load";
import { burnRulesOf, type CompositionConfig } from "@/server/config/sla";
import {
  buildTimeline,
  calendarPeriod,
  checkFeasibility,
  computeBudget,
  componentSubject,
  DAY,
  evaluateBurnAlerts,
  failoverCost,
  failoverDurations,
  linkedFailover,
  measureDowntime,
  measuredFailovers,
  normaliseStatus,
  offsetMs,
  resolvePolicy,
  windowPeriod,
  type Availability,
  type BudgetFigures,
  type BudgetWindow,
  type CompositionNode,
  type DowntimePolicy,
  type Feasibility,
  type FailoverCost,
  type FailoverCostBasis,
  type FailoverSpan,
  type Incident,
  type MaintenanceWindow,
  type RunSpan,
  type Segment,
  type StatusChange,
  type TimelineStatus,
} from "@/server/sla";
import type { ExecutedAction, StoredMaintenanceWindow } from "@/server/store/sla";
import type { ActionKind, ActionState } from "@/lib/actions";

/** The runtime heartbeats every 5 s: a run seen within two beats of `now` is taken as alive up to now. */
export const LIVE_GRACE_MS = 10_000;
/** How far ahead the wall and /sla list scheduled maintenance. */
export const UPCOMING_MS = 7 * DAY;

export interface SlaSubject {
  id: string;
  name: string;
  kind: "component" | "system";
  targetPercent: number;
  policy: DowntimePolicy;
}

/** Every configured component, then the system, with targets and resolved policies. */
export function slaSubjects(config: Config): { components: SlaSubject[]; system: SlaSubject } {
  const policies = config.sla.policies;
  return {
    components: config.components.map((c) => ({ id: c.id, name: c.name, kind: "component", targetPercent: c.sla, policy: resolvePolicy(policies, c.id) })),
    // The system's timeline is already DOWN/not-DOWN by each component's own policy (combineSegments).
    system: { id: SYSTEM_ID, name: "System", kind: "system", targetPercent: config.sla.system, policy: { ...resolvePolicy(policies, SYSTEM_ID), countsAsDown: ["DOWN"] } },
  };
}

// ---------------------------------------------------------------- composition

/** The configured composition (default: every component in series) with each component's target. */
export function compositionTree(config: Config): CompositionNode {
  const byId = new Map(config.components.map((c) => [c.id, c]));
  const toNode = (n: CompositionConfig): CompositionNode => {
    if (typeof n === "string") {
      const c = byId.get(n)!;
      return { kind: "component", id: c.id, name: c.name, availabilityPercent: c.sla };
    }
    return "serial" in n ? { kind: "serial", name: n.name, children: n.serial.map(toNode) } : { kind: "parallel", name: n.name, children: n.parallel.map(toNode) };
  };
  return toNode(config.sla.composition ?? { name: "system", serial: config.components.map((c) => c.id) });
}

export function feasibilityOf(config: Config): Feasibility {
  return checkFeasibility(compositionTree(config), config.sla.system);
}

/**
 * The system's status over time from its components' timelines, by the composition: a serial group
 * is down when any part is, a parallel group when every part is. A component counts as down by its
 * own policy (`countsAsDown`). Not down but not known either: UNKNOWN (a gap) before NO_DATA.
 * Every segment list must cover [from, end) (buildTimeline's do).
 */
export function combineSegments(tree: CompositionNode, segmentsById: ReadonlyMap<string, readonly Segment[]>, countsAsDown: (id: string) => ReadonlySet<TimelineStatus>, from: number, end: number): Segment[] {
  if (!(end > from)) return [];
  const ids = [...segmentsById.keys()];
  const points = new Set<number>([from, end]);
  for (const segs of segmentsById.values()) for (const s of segs) if (s.start > from && s.start < end) points.add(s.start);
  const sorted = [...points].sort((a, b) => a - b);
  const cursor = new Map(ids.map((id) => [id, 0]));
  const statusAt = (id: string, t: number): TimelineStatus => {
    const segs = segmentsById.get(id);
    if (!segs) return "UNKNOWN";
    let i = cursor.get(id)!;
    while (i < segs.length && segs[i]!.end <= t) i++;
    cursor.set(id, i);
    const s = segs[i];
    return s && s.start <= t ? s.status : "UNKNOWN";
  };
  const out: Segment[] = [];
  for (let k = 0; k + 1 < sorted.length; k++) {
    const a = sorted[k]!;
    const b = sorted[k + 1]!;
    const status = evalTree(tree, (id) => {
      const s = statusAt(id, a);
      return countsAsDown(id).has(s) ? "DOWN" : s;
    });
    const last = out[out.length - 1];
    if (last && last.status === status && last.end === a) last.end = b;
    else out.push({ start: a, end: b, status });
  }
  return out;
}

const SERIAL_ORDER: TimelineStatus[] = ["DOWN", "UNKNOWN", "NO_DATA", "STALE", "DEGRADED", "UP"];

function evalTree(node: CompositionNode, leaf: (id: string) => TimelineStatus): TimelineStatus {
  if (node.kind === "component") return leaf(node.id);
  const parts = node.children.map((c) => evalTree(c, leaf));
  if (node.kind === "serial") {
    for (const s of SERIAL_ORDER) if (parts.includes(s)) return s;
    return "UP";
  }
  const serving = parts.filter((s) => s === "UP" || s === "DEGRADED" || s === "STALE");
  if (serving.length > 0) return serving.length === parts.length && parts.every((s) => s === "UP") ? "UP" : "DEGRADED";
  if (parts.every((s) => s === "DOWN")) return "DOWN";
  return parts.includes("UNKNOWN") ? "UNKNOWN" : "NO_DATA";
}

// ---------------------------------------------------------------- periods

/** Local midnight of a calendar date in `timeZone`, as epoch ms. */
export function localMidnight(year: number, month0: number, day: number, timeZone: string): number {
  const utc = Date.UTC(year, month0, day);
  const first = utc - offsetMs(timeZone, utc);
  return utc - offsetMs(timeZone, first);
}

/** "2026-11" / "2026-11-25" → local midnight (day 1 for a month); a full ISO date-time → that instant. */
export function parseReportDate(s: string, timeZone: string): { ms: number; dateOnly: boolean } {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(s);
  if (!m) return { ms: Date.parse(s), dateOnly: false };
  return { ms: localMidnight(Number(m[1]), Number(m[2]) - 1, Number(m[3] ?? 1), timeZone), dateOnly: true };
}

export interface ReportPeriod {
  kind: ReportPeriodKind;
  from: number;
  to: number;
  /** "2026-11", "2026-Q4", "2026", or "2026-11-03 – 2026-11-09". */
  label: string;
}

export interface ParsedReportQuery {
  period: ReportPeriodKind;
  at?: string;
  from?: string;
  to?: string;
}

/** The longest custom period a report covers (a little over 3 years). */
export const MAX_REPORT_MS = 3 * 366 * DAY;

/** Resolves a validated query to [from, to). Throws RangeError (message names the field) for a bad custom range. */
export function resolveReportPeriod(q: ParsedReportQuery, now: number, timeZone: string): ReportPeriod {
  if (q.period === "custom") {
    const from = parseReportDate(q.from!, timeZone).ms;
    const toDate = parseReportDate(q.to!, timeZone);
    // A plain date as `to` includes that day: the period ends at the next local midnight.
    const to = toDate.dateOnly && q.to!.length === 10 ? nextLocalDay(toDate.ms, timeZone) : toDate.dateOnly ? calendarPeriod("month", toDate.ms + DAY, timeZone).to : toDate.ms;
    if (!(to > from)) throw new RangeError("to: the period must end after it starts");
    if (to - from > MAX_REPORT_MS) throw new RangeError("to: a custom period may cover at most 3 years");
    return { kind: "custom", from, to, label: `${q.from} – ${q.to}` };
  }
  // The middle of the given day, so a zone's offset cannot move it into the neighbouring period.
  const at = q.at ? parseReportDate(q.at, timeZone).ms + DAY / 2 : now;
  const { from, to } = calendarPeriod(q.period, at, timeZone);
  const local = new Date(from + offsetMs(timeZone, from) + DAY / 2);
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth();
  const label = q.period === "month" ? `${y}-${String(m + 1).padStart(2, "0")}` : q.period === "quarter" ? `${y}-Q${Math.floor(m / 3) + 1}` : `${y}`;
  return { kind: q.period, from, to, label };
}

function nextLocalDay(midnight: number, timeZone: string): number {
  const d = new Date(midnight + offsetMs(timeZone, midnight) + DAY / 2);
  return localMidnight(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1, timeZone);
}

/** The budget windows at `now`, in the configured zone. */
export function budgetWindows(timeZone: string): { id: BudgetWindowId; window: BudgetWindow }[] {
  const byId: Record<BudgetWindowId, BudgetWindow> = {
    rolling30: { kind: "rolling", days: 30 },
    month: { kind: "month", timeZone },
    quarter: { kind: "quarter", timeZone },
    year: { kind: "year", timeZone },
  };
  return BUDGET_WINDOWS.map((id) => ({ id, window: byId[id] }));
}

/** The earliest instant any budget window (or burn window) reaches back to at `now`. */
export function budgetSpanStart(now: number, timeZone: string, burnWindowsMs: readonly number[] = []): number {
  return Math.min(...budgetWindows(timeZone).map((w) => windowPeriod(w.window, now).from), ...burnWindowsMs.map((w) => now - w));
}

// ---------------------------------------------------------------- maintenance

/** Stored windows as the maths takes them: the effective end, cancelled-before-start ones dropped. */
export function coreWindows(stored: readonly StoredMaintenanceWindow[]): MaintenanceWindow[] {
  return stored.filter((w) => w.effectiveEnd > w.start).map((w) => ({ components: w.components, start: w.start, end: w.effectiveEnd, reason: w.reason }));
}

/** A window on any component is a window of the system (the system runs on every component). */
export const systemWindows = (ws: readonly MaintenanceWindow[]): MaintenanceWindow[] => ws.map((w) => ({ ...w, components: ["*"] }));

export interface MaintenanceView extends StoredMaintenanceWindow {
  state: "upcoming" | "active" | "over" | "cancelled";
}

export function maintenanceState(w: StoredMaintenanceWindow, now: number): MaintenanceView["state"] {
  if (w.cancelledAt !== null && w.cancelledAt <= w.start) return "cancelled";
  if (now < w.start) return "upcoming";
  return now < w.effectiveEnd ? "active" : "over";
}

export const withState = (w: StoredMaintenanceWindow, now: number): MaintenanceView => ({ ...w, state: maintenanceState(w, now) });

// ---------------------------------------------------------------- timelines

export interface TimelineInputs {
  transitions: readonly (StatusChange & { subject: string; reason?: string | null })[];
  runs: readonly RunSpan[];
}

export interface SubjectTimelines {
  from: number;
  end: number;
  /** Component id (and "system") → segments covering [from, end). */
  segments: Map<string, Segment[]>;
  /** Transitions that no monitor run could have recorded: ignored (a clock jump, or a heartbeat lost). */
  unattributed: number;
}

/** Each component's timeline over [from, min(to, now)), and the system's combined from them. */
export function buildTimelines(config: Config, input: TimelineInputs, from: number, to: number, now: number): SubjectTimelines {
  const { components, system } = slaSubjects(config);
  const end = Math.min(to, now);
  const segments = new Map<string, Segment[]>();
  let unattributed = 0;
  for (const c of components) {
    const t = buildTimeline({ transitions: input.transitions, runs: input.runs, from, to, now, subject: componentSubject(c.id), liveGraceMs: LIVE_GRACE_MS });
    segments.set(c.id, t.segments);
    unattributed += t.unattributed;
  }
  const counts = new Map(components.map((c) => [c.id, new Set<TimelineStatus>(c.policy.countsAsDown)]));
  segments.set(system.id, combineSegments(compositionTree(config), segments, (id) => counts.get(id) ?? new Set(["DOWN"]), from, end));
  return { from, end, segments, unattributed };
}

// ---------------------------------------------------------------- incidents

export interface ReportIncident {
  componentId: string;
  componentName: string;
  start: number;
  /** null while open. */
  end: number | null;
  open: boolean;
  durationMs: number;
  /** Part of it inside a maintenance window of the component. */
  maintenanceMs: number;
  statuses: Status[];
  /** The reason recorded with the transition that began it, if any. */
  cause: string | null;
  /** The reason recorded with the transition that ended it. */
  recovery: string | null;
  /** It may have begun before the period (cut at the period's start) / go on after it. */
  atPeriodStart: boolean;
  atPeriodEnd: boolean;
  /** What the timeline showed just before and after: UNKNOWN means a monitoring gap (e.g. the dashboard crashed). */
  before: { status: TimelineStatus; ms: number } | null;
  after: { status: TimelineStatus; ms: number } | null;
  /** The guarded action (/actions/[id]) whose execute→verified interval overlaps it, on a target of this component. */
  failoverId: number | null;
  failover: LinkedFailover | null;
}

/** The executed action an incident is linked to, as the store reads it. */
export type LinkedFailover = ExecutedAction;

/** A recorded action with the SLA component its target counts towards. */
export interface SlaFailover extends FailoverSpan {
  kind: ActionKind;
  state: ActionState;
  targetId: string;
}

/** The action kinds by the config section their target lives in. */
const TARGET_SECTION_OF: Record<ActionKind, "clusters" | "sentinels" | "vrrp"> = {
  patroni_switchover: "clusters",
  patroni_failover: "clusters",
  sentinel_failover: "sentinels",
  vrrp_drain: "vrrp",
  vrrp_undrain: "vrrp",
};

/** The SLA component an action's target counts towards (the target's `component` in the config); null for a target no longer configured. */
export function actionComponent(config: Config, kind: ActionKind, targetId: string): string | null {
  const section: readonly { id: string; component: string }[] = config[TARGET_SECTION_OF[kind]];
  return section.find((t) => t.id === targetId)?.component ?? null;
}

/** Recorded actions as failovers of components; actions on targets no longer configured are left out. */
export function slaFailovers(
  config: Config,
  actions: readonly { id: number; kind: ActionKind; targetId: string; state: ActionState; executingAt: number | null; finishedAt: number | null }[],
): SlaFailover[] {
  const out: SlaFailover[] = [];
  for (const a of actions) {
    const componentId = actionComponent(config, a.kind, a.targetId);
    if (componentId !== null) out.push({ id: a.id, kind: a.kind, targetId: a.targetId, state: a.state, componentId, executingAt: a.executingAt, finishedAt: a.finishedAt });
  }
  return out;
}

/** Each incident with the failover linked to it (see linkedFailover). */
export function withFailovers(incidents: readonly ReportIncident[], failovers: readonly SlaFailover[], now: number): ReportIncident[] {
  return incidents.map((i) => {
    const f = linkedFailover(i, failovers, now);
    return f && f.executingAt !== null
      ? { ...i, failoverId: f.id, failover: { id: f.id, kind: f.kind, targetId: f.targetId, state: f.state, executingAt: f.executingAt, finishedAt: f.finishedAt } }
      : { ...i, failoverId: null, failover: null };
  });
}

/** The incidents of one component with cause, recovery and the neighbouring statuses. */
export function describeIncidents(subject: SlaSubject, incidents: readonly Incident[], segments: readonly Segment[], transitions: TimelineInputs["transitions"]): ReportIncident[] {
  const mine = transitions.filter((t) => t.subject === componentSubject(subject.id));
  const counts = new Set<Status>(subject.policy.countsAsDown);
  return incidents.map((i) => {
    const startT = lastMatching(mine, (t) => t.at <= i.start && counts.has(normaliseStatus(t.toStatus)));
    const endT = i.end === null ? undefined : lastMatching(mine, (t) => t.at === i.end);
    const before = segments.find((s) => s.end === i.start);
    const after = i.end === null ? undefined : segments.find((s) => s.start === i.end);
    return {
      componentId: subject.id,
      componentName: subject.name,
      start: i.start,
      end: i.end,
      open: i.open,
      durationMs: i.durationMs,
      maintenanceMs: i.maintenanceMs,
      statuses: i.statuses,
      cause: startT?.reason ?? null,
      recovery: endT?.reason ?? null,
      atPeriodStart: i.atPeriodStart,
      atPeriodEnd: i.atPeriodEnd,
      before: before ? { status: before.status, ms: before.end - before.start } : null,
      after: after ? { status: after.status, ms: after.end - after.start } : null,
      failoverId: null,
      failover: null,
    };
  });
}

function lastMatching<T>(xs: readonly T[], pred: (x: T) => boolean): T | undefined {
  for (let i = xs.length - 1; i >= 0; i--) if (pred(xs[i]!)) return xs[i];
  return undefined;
}

/** Outages observed from start to end (not cut by the span, no monitoring gap on either side): what a failover costs. */
export const measuredOutages = (incidents: readonly ReportIncident[]): number[] =>
  incidents.filter((i) => !i.open && !i.atPeriodStart && !i.atPeriodEnd && i.before?.status !== "UNKNOWN" && i.after?.status !== "UNKNOWN").map((i) => i.durationMs);

// ---------------------------------------------------------------- budgets

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

export interface SubjectBudgets {
  id: string;
  name: string;
  kind: "component" | "system";
  targetPercent: number;
  maintenancePolicy: DowntimePolicy["maintenance"];
  countsAsDown: Status[];
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
    id: subject.id,
    name: subject.name,
    kind: subject.kind,
    targetPercent: subject.targetPercent,
    maintenancePolicy: subject.policy.maintenance,
    countsAsDown: subject.policy.countsAsDown,
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

// ---------------------------------------------------------------- reports

export interface ViewFigures {
  downMs: number;
  /** Time with a verdict (good or down): what the achieved figure is measured over. */
  knownMs: number;
  knownPercent: number | null;
  pessimisticPercent: number | null;
  /** downMs / allowed for the period. */
  budgetUsedShare: number | null;
  maintenanceMs: number;
  incidents: number;
}

export interface ReportRow {
  id: string;
  name: string;
  kind: "component" | "system";
  targetPercent: number;
  maintenancePolicy: DowntimePolicy["maintenance"];
  countsAsDown: Status[];
  periodMs: number;
  elapsedMs: number;
  /** Allowed downtime over the whole period. */
  allowedMs: number;
  /** The figures the policy picks, then both readings. */
  counted: ViewFigures;
  includingMaintenance: ViewFigures;
  excludingMaintenance: ViewFigures;
  unknownMs: number;
  noDataMs: number;
  degradedMs: number;
  staleMs: number;
  /** Elapsed time inside this subject's maintenance windows. */
  maintenanceMs: number;
  /** Achieved (counted, over known time) meets the target; null when nothing is known. */
  met: boolean | null;
}

export interface SlaReport {
  period: ReportPeriod & { now: number; elapsedMs: number };
  timeZone: string;
  rows: ReportRow[];
  incidents: ReportIncident[];
  maintenance: MaintenanceView[];
  /** Transitions no monitor run accounts for (ignored in the figures). */
  unattributed: number;
}

export interface ReportInputs {
  config: Config;
  period: ReportPeriod;
  /** Component ids and/or "system"; empty: all of them. */
  components: readonly string[];
  timelines: SubjectTimelines;
  transitions: TimelineInputs["transitions"];
  stored: readonly StoredMaintenanceWindow[];
  /** Recorded actions executed during the period. */
  failovers: readonly SlaFailover[];
  now: number;
}

export function buildReport(inp: ReportInputs): SlaReport {
  const { config, period, now, timelines } = inp;
  const { components, system } = slaSubjects(config);
  const wanted = inp.components.length ? new Set(inp.components) : null;
  const subjects = [system, ...components].filter((s) => !wanted || wanted.has(s.id));
  const windows = coreWindows(inp.stored);
  const rows: ReportRow[] = [];
  const incidents: ReportIncident[] = [];
  for (const s of subjects) {
    const segments = timelines.segments.get(s.id) ?? [];
    const r = measureDowntime({ segments, from: period.from, to: period.to, now, componentId: s.id, policy: s.policy, maintenance: s.kind === "system" ? systemWindows(windows) : windows });
    const allowedMs = Math.round(((100 - s.targetPercent) * (period.to - period.from)) / 100);
    const view = (v: typeof r.counted): ViewFigures => ({
      downMs: v.measures.downMs,
      knownMs: v.availability.knownMs,
      knownPercent: v.availability.knownPercent,
      pessimisticPercent: v.availability.pessimisticPercent,
      budgetUsedShare: allowedMs > 0 ? v.measures.downMs / allowedMs : null,
      maintenanceMs: v.measures.maintenanceMs,
      incidents: v.incidents.length,
    });
    const counted = view(r.counted);
    const m = r.includingMaintenance.measures;
    rows.push({
      id: s.id,
      name: s.name,
      kind: s.kind,
      targetPercent: s.targetPercent,
      maintenancePolicy: s.policy.maintenance,
      countsAsDown: s.policy.countsAsDown,
      periodMs: r.periodMs,
      elapsedMs: r.elapsedMs,
      allowedMs,
      counted,
      includingMaintenance: view(r.includingMaintenance),
      excludingMaintenance: view(r.excludingMaintenance),
      unknownMs: m.unknownMs,
      noDataMs: m.noDataMs,
      degradedMs: m.degradedMs,
      staleMs: m.staleMs,
      maintenanceMs: r.maintenanceMs,
      met: counted.knownPercent === null ? null : counted.knownPercent >= s.targetPercent - 1e-9,
    });
    // The system's incidents are its components' incidents again: listed once, under the component.
    if (s.kind === "component") incidents.push(...describeIncidents(s, r.includingMaintenance.incidents, segments, inp.transitions));
  }
  incidents.sort((a, b) => a.start - b.start || a.componentId.localeCompare(b.componentId));
  const relevant = (w: StoredMaintenanceWindow) => !wanted || w.components.includes("*") || w.components.some((c) => wanted.has(c)) || wanted.has(SYSTEM_ID);
  const maintenance = inp.stored.filter((w) => w.end > period.from && w.start < period.to && relevant(w)).map((w) => withState(w, now));
  return {
    period: { ...period, now, elapsedMs: Math.max(0, Math.min(period.to, now) - period.from) },
    timeZone: config.sla.timeZone,
    rows,
    incidents: withFailovers(incidents, inp.failovers, now),
    maintenance,
    unattributed: timelines.unattributed,
  };
}

// ---------------------------------------------------------------- wall

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

/** Active windows, then those starting within UPCOMING_MS, soonest first. */
export function currentMaintenance(stored: readonly StoredMaintenanceWindow[], now: number): MaintenanceView[] {
  return stored
    .map((w) => withState(w, now))
    .filter((w) => w.state === "active" || (w.state === "upcoming" && w.start - now <= UPCOMING_MS))
    .sort((a, b) => (a.state === b.state ? a.start - b.start : a.state === "active" ? -1 : 1));
}

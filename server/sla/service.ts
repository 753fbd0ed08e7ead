import "server-only";
import { SYSTEM_ID, ReportQuery } from "@/lib/sla";
import type { Config } from "@/server/config/load";
import { burnRulesOf } from "@/server/sla/config";
import { AppError, parseInput } from "@/server/errors";
import { calendarPeriod, componentSubject, DAY, evaluateBurnAlerts, measureDowntime, type Feasibility } from "@/server/sla";
import type { SlaAlertFigures } from "@/server/alerting/burn";
import type { Store } from "@/server/store";
import type { AuditActor } from "@/server/store/audit";
import { correctIncidentClass, incidentCorrections, transitionsBetween } from "@/server/store/incidents";
import { unitsFromConfig } from "@/server/scheduler/units";
import { CorrectClassInput } from "@/lib/rto";
import { hostOfTarget } from "./failure-mode";
import {
  cancelMaintenanceWindow,
  executedActions,
  getMaintenanceWindow,
  insertMaintenanceWindow,
  type MaintenanceAuditor,
  listMaintenanceWindows,
  subjectTransitions,
  type StoredMaintenanceWindow,
} from "@/server/store/sla";
import {
  budgetSpanStart,
  buildReport,
  buildRto,
  buildTimelines,
  coreWindows,
  currentMaintenance,
  describeIncidents,
  feasibilityOf,
  resolveReportPeriod,
  slaFailovers,
  slaSubjects,
  subjectBudgets,
  wallBudgets,
  withFailovers,
  withState,
  type MaintenanceView,
  type ReportIncident,
  type RtoIncidentView,
  type RtoReport,
  type RtoUnit,
  type SlaFailover,
  type SlaReport,
  type SlaWall,
  type SubjectBudgets,
  type SubjectTimelines,
  type TimelineInputs,
} from "./model";

/**
 * SLA budgets, reports and maintenance windows: reads transitions, monitor runs and windows from
 * the control store and hands them to the pure model (./model). `now` is a parameter.
 */

export interface SlaDeps {
  config: Config;
  store: Store;
}

/** Transitions and runs to rebuild every component's timeline over [from, to). */
async function loadTimelineInputs(deps: SlaDeps, from: number, to: number): Promise<TimelineInputs> {
  const runs = await deps.store.monitorRuns({ since: from, until: to });
  // A status recorded before `from` by a run still alive at `from` holds at `from`: read from that run's start.
  const since = Math.min(from, ...runs.map((r) => r.startedAt));
  const subjects = deps.config.components.map((c) => componentSubject(c.id));
  const transitions = subjects.length ? await subjectTransitions(deps.store, { subjects, since, until: to }) : [];
  return { transitions, runs };
}

async function timelinesFor(deps: SlaDeps, from: number, to: number, now: number): Promise<{ timelines: SubjectTimelines; input: TimelineInputs }> {
  const input = await loadTimelineInputs(deps, from, Math.min(to, now) + 1);
  return { timelines: buildTimelines(deps.config, input, from, to, now), input };
}

const windowsOver = (store: Store, from: number, to: number) => listMaintenanceWindows(store, { from, to, limit: 10_000 });

/** Guarded actions that executed during [from, to), as failovers of the components their targets count towards. */
async function failoversOver(deps: SlaDeps, from: number, to: number): Promise<SlaFailover[]> {
  return slaFailovers(deps.config, await executedActions(deps.store, { from, to, limit: 10_000 }));
}

export interface SlaBudgets {
  now: number;
  timeZone: string;
  system: SubjectBudgets;
  components: SubjectBudgets[];
  feasibility: Feasibility;
  maintenance: MaintenanceView[];
  /** Transitions no monitor run accounts for (ignored). */
  unattributed: number;
}

export async function slaBudgets(deps: SlaDeps, now: number): Promise<SlaBudgets> {
  const { config } = deps;
  const rules = burnRulesOf(config.sla);
  const from = budgetSpanStart(now, config.sla.timeZone, rules.map((r) => r.longWindowMs));
  const [{ timelines, input }, stored, ahead, failovers] = await Promise.all([
    timelinesFor(deps, from, now, now),
    windowsOver(deps.store, from, now),
    windowsOver(deps.store, now, now + 8 * DAY),
    failoversOver(deps, from, now + 1),
  ]);
  const maintenance = coreWindows(stored);
  const { components, system } = slaSubjects(config);
  const inp = { config, timelines, transitions: input.transitions, maintenance, failovers, now };
  return {
    now,
    timeZone: config.sla.timeZone,
    system: subjectBudgets(system, inp),
    components: components.map((c) => subjectBudgets(c, inp)),
    feasibility: feasibilityOf(config),
    maintenance: currentMaintenance(dedupe([...stored, ...ahead]), now),
    unattributed: timelines.unattributed,
  };
}

/** Validated report query → period; a bad query, custom range or unknown component is BAD_REQUEST naming the field. */
export function parseReportQuery(config: Config, raw: unknown, now: number) {
  const q = parseInput(ReportQuery, raw, { root: "query" });
  const period = resolveReportPeriod(q, now, config.sla.timeZone);
  const known = new Set([SYSTEM_ID, ...config.components.map((c) => c.id)]);
  const unknown = (q.components ?? []).filter((c) => !known.has(c));
  if (unknown.length) throw new AppError("BAD_REQUEST", `components: unknown component ${unknown.map((c) => `"${c}"`).join(", ")}; expected ${[...known].join(", ")}`);
  return { period, components: q.components ?? [] };
}

export async function slaReport(deps: SlaDeps, rawQuery: unknown, now: number): Promise<SlaReport> {
  const { period, components } = parseReportQuery(deps.config, rawQuery, now);
  const [{ timelines, input }, stored, failovers, rto] = await Promise.all([
    timelinesFor(deps, period.from, period.to, now),
    windowsOver(deps.store, period.from, period.to),
    failoversOver(deps, period.from, period.to),
    rtoOver(deps, period.from, period.to, now, components),
  ]);
  return buildReport({ config: deps.config, period, components, timelines, transitions: input.transitions, stored, failovers, now, rto });
}

// ---------------------------------------------------------------- recovery against the DR targets

/** Every probe unit with the host it probes: what an incident's class is judged from. */
function rtoUnits(config: Config): RtoUnit[] {
  return unitsFromConfig(config).map((u) => ({ key: u.key, kind: u.kind, targetId: u.targetId, component: u.component, host: hostOfTarget(u.target) }));
}

/** Incidents suspected in [from, to) with their failure mode, and the scoreboard; `components` (ids) narrows the list, the system or none means all. */
export async function rtoOver(deps: SlaDeps, from: number, to: number, now: number, components: readonly string[] = []): Promise<RtoReport> {
  const [baseline, transitions, corrections] = await Promise.all([
    deps.store.latestTransitions({ at: Math.max(0, from - 1) }),
    now + 1 > from ? transitionsBetween(deps.store, { since: from, until: now + 1 }) : Promise.resolve([]),
    incidentCorrections(deps.store, { since: from, until: to }),
  ]);
  const wanted = components.length && !components.includes(SYSTEM_ID) ? new Set(components) : null;
  return buildRto({
    components: deps.config.components.filter((c) => !wanted || wanted.has(c.id)).map((c) => ({ id: c.id, name: c.name })),
    units: rtoUnits(deps.config),
    baseline,
    transitions,
    corrections,
    from,
    to,
    now,
  });
}

/**
 * An operator's correction of an incident's failure mode, audited with what it was (the previous
 * correction, else the automatic class) in the same transaction as the change.
 */
export async function correctClass(deps: SlaDeps, input: CorrectClassInput, by: AuditActor, now: number): Promise<RtoIncidentView> {
  const c = parseInput(CorrectClassInput, input, { root: "input" });
  if (!deps.config.components.some((x) => x.id === c.componentId)) {
    throw new AppError("BAD_REQUEST", `componentId: unknown component "${c.componentId}"; expected ${deps.config.components.map((x) => x.id).join(", ")}`);
  }
  const find = async () => (await rtoOver(deps, c.suspectedAt, c.suspectedAt + 1, now, [c.componentId])).incidents.find((i) => i.componentId === c.componentId && i.suspectedAt === c.suspectedAt);
  const before = await find();
  if (!before) throw new AppError("NOT_FOUND", `suspectedAt: no incident of ${c.componentId} was suspected at ${new Date(c.suspectedAt).toISOString()}`);
  await correctIncidentClass(deps.store, { ...c, was: before.mode }, by, now);
  return (await find())!;
}

/** Incidents of the components (default: all) over [from, to), newest first. */
export async function slaIncidents(deps: SlaDeps, q: { from: number; to?: number; components?: string[]; limit: number }, now: number): Promise<ReportIncident[]> {
  const to = q.to ?? now;
  if (!(to > q.from)) throw new AppError("BAD_REQUEST", "to: must be after from");
  const [{ timelines, input }, stored, failovers] = await Promise.all([timelinesFor(deps, q.from, to, now), windowsOver(deps.store, q.from, to), failoversOver(deps, q.from, to)]);
  const maintenance = coreWindows(stored);
  const wanted = q.components?.length ? new Set(q.components) : null;
  const out: ReportIncident[] = [];
  for (const s of slaSubjects(deps.config).components) {
    if (wanted && !wanted.has(s.id)) continue;
    const segments = timelines.segments.get(s.id) ?? [];
    const r = measureDowntime({ segments, from: q.from, to, now, componentId: s.id, policy: s.policy, maintenance });
    out.push(...describeIncidents(s, r.includingMaintenance.incidents, segments, input.transitions));
  }
  return withFailovers(out.sort((a, b) => b.start - a.start).slice(0, q.limit), failovers, now);
}

/** The wall's SLA line: this month's budget left per component, and active or upcoming maintenance. */
export async function slaWall(deps: SlaDeps, now: number): Promise<SlaWall> {
  const tz = deps.config.sla.timeZone;
  const month = calendarPeriod("month", now, tz);
  const [{ timelines }, stored, ahead] = await Promise.all([
    timelinesFor(deps, month.from, now, now),
    windowsOver(deps.store, month.from, now),
    windowsOver(deps.store, now, now + 8 * DAY),
  ]);
  return { at: now, budgets: wallBudgets(deps.config, timelines, coreWindows(stored), now), maintenance: currentMaintenance(dedupe([...stored, ...ahead]), now) };
}

/**
 * What the alerting needs of the SLA every minute: each component's burn rules with both windows'
 * figures (known time included), and this month's budget as the wall shows it.
 */
export async function slaAlertFigures(deps: SlaDeps, now: number): Promise<SlaAlertFigures> {
  const { config } = deps;
  const rules = burnRulesOf(config.sla);
  const month = calendarPeriod("month", now, config.sla.timeZone);
  const from = Math.min(month.from, ...rules.map((r) => now - r.longWindowMs));
  const [{ timelines }, stored] = await Promise.all([timelinesFor(deps, from, now, now), windowsOver(deps.store, from, now)]);
  const maintenance = coreWindows(stored);
  const budgets = new Map(wallBudgets(config, timelines, maintenance, now).map((b) => [b.id, b]));
  return {
    at: now,
    components: slaSubjects(config).components.map((c) => {
      const segments = timelines.segments.get(c.id) ?? [];
      const burn = evaluateBurnAlerts({ segments, now, targetPercent: c.targetPercent, componentId: c.id, policy: c.policy, maintenance, rules });
      const b = budgets.get(c.id);
      return { id: c.id, name: c.name, burn: burn.alerts, month: b ? { allowedMs: b.allowedMs, usedMs: b.usedMs, remainingMs: b.remainingMs } : null };
    }),
  };
}

function dedupe(ws: StoredMaintenanceWindow[]): StoredMaintenanceWindow[] {
  return [...new Map(ws.map((w) => [w.id, w])).values()];
}

// ---------------------------------------------------------------- maintenance windows

/** How far back a window may start: a few minutes of clock skew, never a retroactive exclusion. */
export const MAX_BACKDATE_MS = 5 * 60_000;
export const MAX_WINDOW_MS = 31 * DAY;

export async function listMaintenance(deps: SlaDeps, q: { from?: number; to?: number }, now: number): Promise<MaintenanceView[]> {
  const rows = await listMaintenanceWindows(deps.store, { from: q.from, to: q.to, limit: 1000 });
  return rows.map((w) => withState(w, now));
}

export async function createMaintenance(
  deps: SlaDeps,
  w: { components: string[]; start: number; end: number; reason: string },
  by: MaintenanceAuditor,
  now: number,
): Promise<MaintenanceView> {
  const known = new Set(deps.config.components.map((c) => c.id));
  const unknown = w.components.filter((c) => c !== "*" && !known.has(c));
  if (unknown.length) throw new AppError("BAD_REQUEST", `components: unknown component ${unknown.map((c) => `"${c}"`).join(", ")}; expected "*" or ${[...known].join(", ")}`);
  if (w.components.includes("*") && w.components.length > 1) throw new AppError("BAD_REQUEST", 'components: "*" already means every component; give it alone');
  if (w.start < now - MAX_BACKDATE_MS) throw new AppError("BAD_REQUEST", "start: a maintenance window cannot start in the past (downtime is never excluded after the fact)");
  if (!(w.end > w.start)) throw new AppError("BAD_REQUEST", "end: a maintenance window must end after it starts");
  if (w.end - w.start > MAX_WINDOW_MS) throw new AppError("BAD_REQUEST", "end: a maintenance window may last at most 31 days");
  const stored = await insertMaintenanceWindow(deps.store, { ...w, start: Math.max(w.start, now - MAX_BACKDATE_MS), createdAt: now, createdBy: by.name }, by);
  return withState(stored, now);
}

/** Cancels a window: before it starts it never happened; while active it ends now; once over it stays. */
export async function cancelMaintenance(deps: SlaDeps, id: number, by: MaintenanceAuditor, now: number): Promise<MaintenanceView> {
  const done = await cancelMaintenanceWindow(deps.store, { id, at: now, by });
  if (done) return withState(done, now);
  const w = await getMaintenanceWindow(deps.store, id);
  if (!w) throw new AppError("NOT_FOUND", `no maintenance window ${id}`);
  if (w.cancelledAt !== null) throw new AppError("CONFLICT", `maintenance window ${id} was already cancelled`);
  throw new AppError("CONFLICT", `maintenance window ${id} is already over; a past window cannot be cancelled`);
}

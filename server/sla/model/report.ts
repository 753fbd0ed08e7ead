import type { Config } from "@/server/config/load";
import { rtoScoreboard } from "../rto";
import type { RtoReport } from "./rto";
import { measureDowntime } from "@/server/sla";
import { type MaintenanceView, coreWindows, systemWindows, withState } from "./maintenance";
import { type ReportIncident, type SlaFailover, describeIncidents, withFailovers } from "./incidents";
import type { ReportPeriod } from "./report-period";
import { SYSTEM_ID } from "@/lib/sla";
import type { StoredMaintenanceWindow } from "@/server/store/sla";
import type { SubjectTimelines, TimelineInputs } from "./timelines";
import { slaSubjects, subjectHeader, type SubjectHeader } from "./subjects";

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

export interface ReportRow extends SubjectHeader {
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
  /** Recovery against the DR document's targets: incidents with their failure mode, and the scoreboard. */
  rto: RtoReport;
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
  /** The RTO section (buildRto); default: no incidents. */
  rto?: RtoReport;
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
      ...subjectHeader(s),
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
    rto: inp.rto ?? { ...rtoScoreboard([], now), incidents: [] },
  };
}

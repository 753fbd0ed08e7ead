import { FINDING_PREFIX, type FailureMode } from "@/lib/rto";
import { componentSubject } from "@/lib/keys";
import type { Status } from "@/lib/status";
import type { TransitionStatus } from "@/server/store/schema";
import { classifyIncident, type Classification, type UnitEvidence } from "../failure-mode";
import { rtoScoreboard, type RtoRow } from "../rto";
import { normaliseStatus } from "../timeline";

/**
 * The report's RTO section: the incidents of each component over a period, with when each was first
 * suspected, confirmed and recovered, its failure mode (classified from what failed, or as an
 * operator corrected it), and the scoreboard over them. Pure: `now` is a parameter.
 *
 * An incident is a component's stay out of UP: it opens at a transition into DOWN, DEGRADED or STALE
 * and closes at the next transition to UP (a NO_DATA in between, e.g. a dashboard restart, does not
 * close it). Suspected = the opening transition's `at` (the first failing probe), confirmed = its
 * `confirmedAt` (when hysteresis confirmed it), recovered = the closing transition's `at`.
 */

export interface RtoTransition {
  at: number;
  subject: string;
  toStatus: TransitionStatus;
  reason: string | null;
  confirmedAt: number | null;
}

export type RtoUnit = Omit<UnitEvidence, "failure">;

export interface RtoCorrection {
  componentId: string;
  suspectedAt: number;
  mode: FailureMode;
  note: string;
  correctedAt: number;
  correctedBy: string;
}

export interface RtoInputs {
  components: readonly { id: string; name: string }[];
  /** Every probe unit of the config, with the host it probes. */
  units: readonly RtoUnit[];
  /** Each subject's last transition before `from`. */
  baseline: readonly RtoTransition[];
  /** Every transition from `from` on (up to `now`), oldest first. */
  transitions: readonly RtoTransition[];
  /** Oldest first: the last one per incident wins. */
  corrections: readonly RtoCorrection[];
  from: number;
  to: number;
  now: number;
}

export interface RtoIncidentView {
  componentId: string;
  componentName: string;
  suspectedAt: number;
  /** null when the transition predates recording it. */
  confirmedAt: number | null;
  recoveredAt: number | null;
  open: boolean;
  /** The worst status it reached. */
  worst: Status;
  detectionMs: number | null;
  recoveryMs: number | null;
  /** What it counts as: the operator's correction if any, else the automatic class. */
  mode: FailureMode | null;
  automatic: Classification;
  correction: { mode: FailureMode; note: string; at: number; by: string } | null;
  /** The reason recorded when it began. */
  cause: string | null;
}

export interface RtoReport {
  rows: RtoRow[];
  unclassified: number;
  /** Newest first. */
  incidents: RtoIncidentView[];
}

const OPENS = new Set<Status>(["DOWN", "DEGRADED", "STALE"]);
const SEVERITY: Record<Status, number> = { UP: 0, NO_DATA: 1, DEGRADED: 2, STALE: 3, DOWN: 4 };

/** Each subject's transitions, its baseline first, in time order. */
function bySubject(baseline: readonly RtoTransition[], transitions: readonly RtoTransition[]): Map<string, RtoTransition[]> {
  const out = new Map<string, RtoTransition[]>();
  for (const t of [...baseline, ...transitions]) {
    const list = out.get(t.subject);
    if (list) list.push(t);
    else out.set(t.subject, [t]);
  }
  return out;
}

/** The first transition of `list` whose status was failing at some moment of [start, end], or undefined. */
function failingDuring(list: readonly RtoTransition[] | undefined, start: number, end: number, failing: (s: Status) => boolean): RtoTransition | undefined {
  if (!list) return undefined;
  let atStart: RtoTransition | undefined;
  for (const t of list) {
    if (t.at <= start) atStart = t;
    else if (t.at > end) break;
    else if (failing(normaliseStatus(t.toStatus))) return atStart && failing(normaliseStatus(atStart.toStatus)) ? atStart : t;
  }
  return atStart && failing(normaliseStatus(atStart.toStatus)) ? atStart : undefined;
}

export function buildRto(inp: RtoInputs): RtoReport {
  const subjects = bySubject(inp.baseline, inp.transitions);
  const monitored = inp.components.filter((c) => inp.units.some((u) => u.component === c.id)).map((c) => c.id);
  const corrections = new Map(inp.corrections.map((c) => [`${c.componentId}\0${c.suspectedAt}`, c]));
  const findingSubjects = [...subjects.keys()].filter((s) => s.startsWith(FINDING_PREFIX));
  const incidents: RtoIncidentView[] = [];

  for (const c of inp.components) {
    const list = subjects.get(componentSubject(c.id)) ?? [];
    let open: { start: RtoTransition; worst: Status; before: boolean } | null = null;
    const close = (end: RtoTransition | null) => {
      if (!open || open.before) return;
      const s = open.start;
      const until = end?.at ?? inp.now;
      const units = inp.units.map<UnitEvidence>((u) => {
        const failed = failingDuring(subjects.get(u.key), s.at, until, (x) => OPENS.has(x));
        return { ...u, failure: failed ? (failed.reason ?? "failed") : null };
      });
      const automatic = classifyIncident({
        componentId: c.id,
        units,
        findings: findingSubjects.filter((f) => failingDuring(subjects.get(f), s.at, until, (x) => x === "DOWN")).map((f) => f.slice(FINDING_PREFIX.length)),
        componentsMonitored: monitored,
        componentsDown: monitored.filter((id) => failingDuring(subjects.get(componentSubject(id)), s.at, until, (x) => x === "DOWN")),
      });
      const fix = corrections.get(`${c.id}\0${s.at}`);
      incidents.push({
        componentId: c.id,
        componentName: c.name,
        suspectedAt: s.at,
        confirmedAt: s.confirmedAt,
        recoveredAt: end?.at ?? null,
        open: end === null,
        worst: open.worst,
        detectionMs: s.confirmedAt === null ? null : Math.max(0, s.confirmedAt - s.at),
        recoveryMs: end === null ? null : end.at - s.at,
        mode: fix ? fix.mode : automatic.mode,
        automatic,
        correction: fix ? { mode: fix.mode, note: fix.note, at: fix.correctedAt, by: fix.correctedBy } : null,
        cause: s.reason,
      });
    };
    for (const t of list) {
      const status = normaliseStatus(t.toStatus);
      if (OPENS.has(status)) {
        if (!open) open = { start: t, worst: status, before: t.at < inp.from };
        else if (SEVERITY[status] > SEVERITY[open.worst]) open.worst = status;
      } else if (status === "UP" && open) {
        close(t);
        open = null;
      }
    }
    close(null);
  }

  const inPeriod = incidents.filter((i) => i.suspectedAt >= inp.from && i.suspectedAt < inp.to).sort((a, b) => b.suspectedAt - a.suspectedAt);
  const { rows, unclassified } = rtoScoreboard(
    inPeriod.map((i) => ({ mode: i.mode, suspectedAt: i.suspectedAt, confirmedAt: i.confirmedAt, recoveredAt: i.recoveredAt })),
    inp.now,
  );
  return { rows, unclassified, incidents: inPeriod };
}

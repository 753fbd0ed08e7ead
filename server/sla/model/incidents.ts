import type { ActionKind, ActionState } from "@/lib/actions";
import type { Config } from "@/server/config/load";
import type { ExecutedAction } from "@/server/store/sla";
import { type FailoverSpan, type Incident, type Segment, type TimelineStatus, componentSubject, linkedFailover, normaliseStatus } from "@/server/sla";
import type { SlaSubject } from "./subjects";
import type { Status } from "@/lib/status";
import type { TimelineInputs } from "./timelines";

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

/**
 * Incidents ↔ guarded failover actions. Pure: the service reads the actions and maps each action's
 * target to the SLA component it counts towards (the config's `component` of that target).
 */

/** A recorded action as the SLA side needs it: which component, and when it acted. */
export interface FailoverSpan {
  id: number;
  kind: string;
  componentId: string;
  state: string;
  /** When execution began; actions that never executed (refused, expired, ...) are not failovers. */
  executingAt: number | null;
  /** When the outcome was known (verified, failed or given up as unknown); null while in flight. */
  finishedAt: number | null;
}

export interface IncidentSpan {
  componentId: string;
  start: number;
  /** null while open. */
  end: number | null;
}

/**
 * [executingAt, finishedAt) of an executed action; an action still in flight reaches `now`.
 * null for one that never executed.
 */
export function actionInterval(a: FailoverSpan, now: number): { start: number; end: number } | null {
  if (a.executingAt === null) return null;
  return { start: a.executingAt, end: Math.max(a.executingAt, a.finishedAt ?? now) };
}

const overlapMs = (a: { start: number; end: number }, b: { start: number; end: number }) => Math.min(a.end, b.end) - Math.max(a.start, b.start);

/**
 * The action linked to an incident: same component, and its execute→verified interval overlaps the
 * incident's (half-open: touching ends do not overlap; an instant action overlaps an incident it
 * falls inside). Of several, the one overlapping longest, then the latest to start.
 */
export function linkedFailover<A extends FailoverSpan>(incident: IncidentSpan, actions: readonly A[], now: number): A | null {
  const inc = { start: incident.start, end: incident.end ?? Math.max(incident.start, now) };
  let best: { a: A; overlap: number; start: number } | null = null;
  for (const a of actions) {
    if (a.componentId !== incident.componentId) continue;
    const span = actionInterval(a, now);
    if (!span) continue;
    const overlap = overlapMs(span, inc);
    const instantInside = span.start === span.end && span.start >= inc.start && span.start < inc.end;
    if (!(overlap > 0 || instantInside)) continue;
    if (!best || overlap > best.overlap || (overlap === best.overlap && span.start > best.start)) best = { a, overlap, start: span.start };
  }
  return best?.a ?? null;
}

/** What a typical failover measured by the workflow takes: execute start → verified, succeeded ones only. */
export function measuredFailovers(actions: readonly FailoverSpan[]): number[] {
  return actions.filter((a) => a.state === "succeeded" && a.executingAt !== null && a.finishedAt !== null && a.finishedAt >= a.executingAt).map((a) => a.finishedAt! - a.executingAt!);
}

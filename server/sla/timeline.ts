import type { Status } from "@/lib/status";
import type { TransitionStatus } from "@/server/store/schema";
import { componentSubject } from "@/lib/keys";

/**
 * A component's status over time, rebuilt from stored transitions and monitor runs. Pure: the
 * clock is `now`, times are epoch ms, every interval is [start, end).
 */

/** A status, or UNKNOWN where no monitor run covered the time (a monitoring gap). */
export type TimelineStatus = Status | "UNKNOWN";

export interface Segment {
  start: number;
  end: number;
  status: TimelineStatus;
}

/** What the timeline needs of a stored transition (`Transition` from the store satisfies it). */
export interface StatusChange {
  at: number;
  toStatus: TransitionStatus;
  subject?: string;
  /** The monitor run that recorded it; without it the run is the one whose span contains `at`. */
  instanceId?: string;
}

/** What the timeline needs of a monitor run (`MonitorRun` from the store satisfies it). */
export interface RunSpan {
  instanceId: string;
  startedAt: number;
  lastSeenAt: number;
}

export interface TimelineInput {
  transitions: readonly StatusChange[];
  runs: readonly RunSpan[];
  from: number;
  to: number;
  now: number;
  /** Only transitions of this subject count (e.g. `componentSubject("database")`); default: all given. */
  subject?: string;
  /**
   * A run last seen at most this long before `now` is taken as alive, so it covers up to `now`.
   * Heartbeats are periodic, so the live run's lastSeenAt lags; pass about two heartbeat
   * intervals. Default 0: only a run last seen at or after `now` is alive.
   */
  liveGraceMs?: number;
}

export interface Timeline {
  segments: Segment[];
  /** Transitions that no run could have recorded (no matching instance and no run spanning `at`): ignored. */
  unattributed: number;
}

export { componentSubject };

/** The overall verdict's words map onto statuses so the "overall" subject can be measured too. */
export function normaliseStatus(s: TransitionStatus): Status {
  if (s === "HEALTHY") return "UP";
  if (s === "CRITICAL") return "DOWN";
  return s;
}

/** Worst first; breaks a tie between runs that recorded a change at the same millisecond. */
const TIE_RANK: Record<Status, number> = { DOWN: 0, STALE: 1, DEGRADED: 2, NO_DATA: 3, UP: 4 };

interface Change {
  at: number;
  status: Status;
}
interface Run {
  instanceId: string;
  start: number;
  end: number;
  changes: Change[];
}

/**
 * The status timeline over [from, min(to, now)): contiguous segments, equal neighbours merged,
 * no zero-length segment. Within a run, a transition's status holds until the run's next
 * transition or the run's end; before a run's first transition the status is NO_DATA (the
 * runtime had no verdict yet). A run's end is its last heartbeat or its last transition,
 * whichever is later, so a crash leaves the rest UNKNOWN. Time covered by no run is UNKNOWN.
 * Where runs overlap, the most recent transition among the live runs decides.
 */
export function buildTimeline(input: TimelineInput): Timeline {
  const { from, now, subject } = input;
  const end = Math.min(input.to, now);
  const grace = input.liveGraceMs ?? 0;
  if (!(end > from)) return { segments: [], unattributed: 0 };

  const runs: Run[] = input.runs
    .filter((r) => r.lastSeenAt >= r.startedAt)
    .map((r) => ({ instanceId: r.instanceId, start: r.startedAt, end: r.lastSeenAt, changes: [] }))
    .sort((a, b) => a.start - b.start);

  const byInstance = new Map<string, Run[]>();
  for (const r of runs) byInstance.set(r.instanceId, [...(byInstance.get(r.instanceId) ?? []), r]);
  let unattributed = 0;
  for (const t of input.transitions) {
    if (subject !== undefined && t.subject !== subject) continue;
    const run = recorderOf(runs, byInstance, t);
    if (!run) {
      unattributed++;
      continue;
    }
    run.changes.push({ at: t.at, status: normaliseStatus(t.toStatus) });
    // A transition proves the run was alive then, even after its last heartbeat.
    run.end = Math.max(run.end, t.at);
  }
  for (const r of runs) {
    r.changes.sort((a, b) => a.at - b.at);
    if (r.end >= now - grace) r.end = Math.max(r.end, now);
  }

  const points = new Set<number>([from, end]);
  const within = (t: number) => {
    if (t > from && t < end) points.add(t);
  };
  for (const r of runs) {
    within(r.start);
    within(r.end);
    for (const c of r.changes) within(c.at);
  }
  const sorted = [...points].sort((a, b) => a - b);

  // Sweep the points in order, keeping only the runs alive at each (runs are sorted by start).
  const segments: Segment[] = [];
  let alive: Run[] = [];
  let next = 0;
  for (let i = 0; i + 1 < sorted.length; i++) {
    const a = sorted[i]!;
    const b = sorted[i + 1]!;
    while (next < runs.length && runs[next]!.start <= a) alive.push(runs[next++]!);
    alive = alive.filter((r) => r.end > a);
    const status = statusAt(alive, a);
    const last = segments[segments.length - 1];
    if (last && last.status === status && last.end === a) last.end = b;
    else segments.push({ start: a, end: b, status });
  }
  return { segments, unattributed };
}

/** The run that recorded `t`: the latest run of its instance started by then, else the latest run spanning it. */
function recorderOf(runs: Run[], byInstance: Map<string, Run[]>, t: StatusChange): Run | undefined {
  let found: Run | undefined;
  if (t.instanceId !== undefined) {
    for (const r of byInstance.get(t.instanceId) ?? []) if (r.start <= t.at) found = r;
    if (found) return found;
  }
  for (const r of runs) if (r.start <= t.at && t.at <= r.end) found = r;
  return found;
}

/** The status at `t` given the runs alive then (start ≤ t < end). */
function statusAt(alive: Run[], t: number): TimelineStatus {
  if (alive.length === 0) return "UNKNOWN";
  let best: Change | undefined;
  for (const r of alive) {
    const c = lastAtOrBefore(r.changes, t);
    if (!c) continue;
    if (!best || c.at > best.at || (c.at === best.at && TIE_RANK[c.status] < TIE_RANK[best.status])) best = c;
  }
  return best ? best.status : "NO_DATA";
}

/** Binary search in changes sorted by `at`; among equal `at`, the last given wins. */
function lastAtOrBefore(changes: Change[], t: number): Change | undefined {
  let lo = 0;
  let hi = changes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (changes[mid]!.at <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? changes[lo - 1] : undefined;
}

import type { Status } from "@/lib/status";
import { appliesTo, DEFAULT_POLICY, type DowntimePolicy, type MaintenanceWindow } from "./policy";
import type { Segment, TimelineStatus } from "./timeline";

/**
 * Time-weighted downtime over a period, from a status timeline. The measures partition the
 * elapsed part of the period, [from, min(to, now)): every millisecond lands in exactly one.
 */

export interface Measures {
  upMs: number;
  /** Time in a status that counts as down (the policy's `countsAsDown`; default DOWN). */
  downMs: number;
  /** DEGRADED, STALE and NO_DATA time that does not count as down (each reported apart). */
  degradedMs: number;
  staleMs: number;
  /** The monitor ran but had no verdict yet (e.g. just after a start): not known, not up. */
  noDataMs: number;
  /** Monitoring gaps: no monitor run covered the time. */
  unknownMs: number;
  /** Time inside a maintenance window, set aside (only in the view that excludes maintenance; else 0). */
  maintenanceMs: number;
}

export interface Availability {
  /** good / (good + down): gaps, NO_DATA and excluded maintenance left out. null when nothing is known. */
  knownPercent: number | null;
  /** good / everything but excluded maintenance: gaps and NO_DATA count as down. Never above knownPercent. */
  pessimisticPercent: number | null;
  /** UP, and DEGRADED/STALE that does not count as down. */
  goodMs: number;
  /** goodMs + downMs. */
  knownMs: number;
}

export interface Incident {
  start: number;
  /** null while open: still down at `now` with the run that says so alive. */
  end: number | null;
  durationMs: number;
  open: boolean;
  /** Starts exactly at the period's start: it may have begun earlier. */
  atPeriodStart: boolean;
  /** Reaches the period's end (and is not open): it may go on after it. */
  atPeriodEnd: boolean;
  /** Part of it inside a maintenance window (0 in the view that excludes maintenance). */
  maintenanceMs: number;
  /** The counting statuses it went through, in order of first appearance. */
  statuses: Status[];
}

export interface DowntimeView {
  measures: Measures;
  incidents: Incident[];
  availability: Availability;
}

export interface DowntimeReport {
  componentId: string | null;
  from: number;
  to: number;
  now: number;
  periodMs: number;
  /** The part of the period up to `now`; the measures add up to it. */
  elapsedMs: number;
  policy: DowntimePolicy;
  /** Raw time per timeline status, before any policy. */
  byStatus: Record<TimelineStatus, number>;
  /** Elapsed time inside this component's maintenance windows (overlaps merged). */
  maintenanceMs: number;
  /** The windows that apply to this component and overlap the period, as given. */
  maintenanceWindows: MaintenanceWindow[];
  /** Maintenance counted like any other time. */
  includingMaintenance: DowntimeView;
  /** Maintenance time set aside: neither up nor down. */
  excludingMaintenance: DowntimeView;
  /** The view the policy picks (`maintenance: "count"` → including, "exclude" → excluding). */
  counted: DowntimeView;
}

export interface MeasureInput {
  segments: readonly Segment[];
  from: number;
  to: number;
  now: number;
  /** Picks the maintenance windows that apply (by id, or "*"). */
  componentId?: string;
  policy?: DowntimePolicy;
  maintenance?: readonly MaintenanceWindow[];
}

interface Piece {
  start: number;
  end: number;
  status: TimelineStatus;
  inMaintenance: boolean;
}

/**
 * Measures a timeline over [from, to) at `now`. Time after `now` is not counted; time the
 * segments do not cover is UNKNOWN (a gap), never up.
 */
export function measureDowntime(input: MeasureInput): DowntimeReport {
  const { from, to, now } = input;
  const policy = input.policy ?? DEFAULT_POLICY;
  const end = Math.max(from, Math.min(to, now));
  const windows = (input.maintenance ?? []).filter((w) => appliesTo(w, input.componentId) && w.end > from && w.start < to);
  const maint = union(windows.map((w) => ({ from: Math.max(w.start, from), to: Math.min(w.end, end) })));
  const pieces = cutAt(fill(input.segments, from, end), maint);

  const byStatus: Record<TimelineStatus, number> = { UP: 0, DOWN: 0, DEGRADED: 0, STALE: 0, NO_DATA: 0, UNKNOWN: 0 };
  for (const p of pieces) byStatus[p.status] += p.end - p.start;

  const counts = new Set<TimelineStatus>(policy.countsAsDown);
  const ctx = { from, to, now, end, counts };
  const includingMaintenance = view(pieces, false, ctx);
  const excludingMaintenance = view(pieces, true, ctx);
  return {
    componentId: input.componentId ?? null,
    from,
    to,
    now,
    periodMs: Math.max(0, to - from),
    elapsedMs: end - from,
    policy,
    byStatus,
    maintenanceMs: maint.reduce((s, m) => s + (m.to - m.from), 0),
    maintenanceWindows: windows,
    includingMaintenance,
    excludingMaintenance,
    counted: policy.maintenance === "exclude" ? excludingMaintenance : includingMaintenance,
  };
}

export function availabilityOf(m: Measures): Availability {
  const goodMs = m.upMs + m.degradedMs + m.staleMs;
  const knownMs = goodMs + m.downMs;
  const measured = knownMs + m.unknownMs + m.noDataMs;
  return {
    knownPercent: knownMs > 0 ? (100 * goodMs) / knownMs : null,
    pessimisticPercent: measured > 0 ? (100 * goodMs) / measured : null,
    goodMs,
    knownMs,
  };
}

export const sumMeasures = (m: Measures) => m.upMs + m.downMs + m.degradedMs + m.staleMs + m.noDataMs + m.unknownMs + m.maintenanceMs;

interface ViewContext {
  from: number;
  to: number;
  now: number;
  end: number;
  counts: Set<TimelineStatus>;
}

function view(pieces: Piece[], excludeMaintenance: boolean, ctx: ViewContext): DowntimeView {
  const m: Measures = { upMs: 0, downMs: 0, degradedMs: 0, staleMs: 0, noDataMs: 0, unknownMs: 0, maintenanceMs: 0 };
  const incidents: Incident[] = [];
  let current: Incident | undefined;
  for (const p of pieces) {
    const len = p.end - p.start;
    const setAside = excludeMaintenance && p.inMaintenance;
    // UNKNOWN never counts as down here: the pessimistic availability covers that reading.
    const down = !setAside && p.status !== "UNKNOWN" && ctx.counts.has(p.status);
    if (setAside) m.maintenanceMs += len;
    else if (down) m.downMs += len;
    else if (p.status === "UNKNOWN") m.unknownMs += len;
    else if (p.status === "UP") m.upMs += len;
    else if (p.status === "DEGRADED") m.degradedMs += len;
    else if (p.status === "STALE") m.staleMs += len;
    else m.noDataMs += len;

    if (!down) {
      current = undefined;
      continue;
    }
    if (current && current.end === p.start) {
      current.end = p.end;
      current.durationMs += len;
    } else {
      current = { start: p.start, end: p.end, durationMs: len, open: false, atPeriodStart: p.start === ctx.from, atPeriodEnd: false, maintenanceMs: 0, statuses: [] };
      incidents.push(current);
    }
    if (p.inMaintenance) current.maintenanceMs += len;
    const s = p.status as Status;
    if (!current.statuses.includes(s)) current.statuses.push(s);
  }
  for (const i of incidents) {
    if (i.end === ctx.end && ctx.now <= ctx.to) {
      i.open = true;
      i.end = null;
    } else if (i.end === ctx.to) i.atPeriodEnd = true;
  }
  return { measures: m, incidents, availability: availabilityOf(m) };
}

/** Segments clipped to [from, end), sorted, with every uncovered stretch filled as UNKNOWN. */
function fill(segments: readonly Segment[], from: number, end: number): Omit<Piece, "inMaintenance">[] {
  const out: Omit<Piece, "inMaintenance">[] = [];
  let cursor = from;
  const push = (start: number, stop: number, status: TimelineStatus) => {
    if (stop <= start) return;
    const last = out[out.length - 1];
    if (last && last.status === status && last.end === start) last.end = stop;
    else out.push({ start, end: stop, status });
  };
  for (const s of [...segments].sort((a, b) => a.start - b.start)) {
    const start = Math.max(s.start, cursor);
    const stop = Math.min(s.end, end);
    if (stop <= start) continue;
    push(cursor, start, "UNKNOWN");
    push(start, stop, s.status);
    cursor = stop;
  }
  push(cursor, end, "UNKNOWN");
  return out;
}

interface Span {
  from: number;
  to: number;
}

function union(spans: Span[]): Span[] {
  const out: Span[] = [];
  for (const s of spans.filter((x) => x.to > x.from).sort((a, b) => a.from - b.from)) {
    const last = out[out.length - 1];
    if (last && s.from <= last.to) last.to = Math.max(last.to, s.to);
    else out.push({ ...s });
  }
  return out;
}

/** Splits pieces at maintenance boundaries and marks the parts inside. `maint` is sorted and disjoint. */
function cutAt(pieces: Omit<Piece, "inMaintenance">[], maint: Span[]): Piece[] {
  const out: Piece[] = [];
  for (const p of pieces) {
    let t = p.start;
    for (const m of maint) {
      if (m.to <= t || m.from >= p.end) continue;
      if (m.from > t) out.push({ ...p, start: t, end: m.from, inMaintenance: false });
      const stop = Math.min(m.to, p.end);
      out.push({ ...p, start: Math.max(m.from, t), end: stop, inMaintenance: true });
      t = stop;
    }
    if (t < p.end) out.push({ ...p, start: t, end: p.end, inMaintenance: false });
  }
  return out;
}

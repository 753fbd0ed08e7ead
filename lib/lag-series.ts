/**
 * Pure maths for the live lag charts: a stored series (from `series.get`, already downsampled into
 * aligned buckets) extended with the samples seen in snapshots since, in the same buckets, and kept
 * to its window. Buckets without data stay null so the chart shows a gap, never an interpolation.
 */
import type { Snapshot } from "@/lib/snapshot";
import type { PostgresData } from "@/lib/unit-data";
import type { ReplicationRow } from "@/server/collectors/types";
import { lagSubject } from "./keys";

export interface SeriesPoint {
  t: number;
  avg: number | null;
  min: number | null;
  max: number | null;
}

export interface LiveSample {
  ts: number;
  value: number;
}

export type LagMetric = "lag_bytes" | "lag_seconds";

/** Bucket width of a stored series (buckets are aligned to multiples of it since the epoch). */
export function stepOf(points: readonly SeriesPoint[], fallbackMs: number): number {
  const a = points[0];
  const b = points[1];
  return a && b && b.t > a.t ? b.t - a.t : fallbackMs;
}

interface Acc {
  sum: number;
  count: number;
  min: number;
  max: number;
}

/**
 * The stored points plus live samples, over (now − windowMs, now]. A sample older than `storedTo`
 * whose bucket already has stored data is skipped (the store has it); one in an empty or newer bucket
 * is added. A stored bucket counts as one sample when averaging in later ones.
 */
export function extendSeries(
  stored: readonly SeriesPoint[],
  storedTo: number,
  samples: readonly LiveSample[],
  opts: { stepMs: number; windowMs: number; now: number },
): SeriesPoint[] {
  const { stepMs, windowMs, now } = opts;
  if (!(stepMs > 0)) return [...stored];
  const buckets = new Map<number, Acc | null>();
  for (const p of stored) {
    buckets.set(p.t, p.avg === null ? null : { sum: p.avg, count: 1, min: p.min ?? p.avg, max: p.max ?? p.avg });
  }
  for (const s of samples) {
    const t = Math.floor(s.ts / stepMs) * stepMs;
    const acc = buckets.get(t);
    if (acc && s.ts < storedTo) continue;
    if (acc) {
      acc.sum += s.value;
      acc.count += 1;
      acc.min = Math.min(acc.min, s.value);
      acc.max = Math.max(acc.max, s.value);
    } else buckets.set(t, { sum: s.value, count: 1, min: s.value, max: s.value });
  }
  const first = Math.floor((now - windowMs) / stepMs) * stepMs;
  const last = Math.floor(now / stepMs) * stepMs;
  const out: SeriesPoint[] = [];
  for (let t = first; t <= last; t += stepMs) {
    if (t + stepMs <= now - windowMs) continue;
    const acc = buckets.get(t);
    out.push(acc ? { t, avg: acc.sum / acc.count, min: acc.min, max: acc.max } : { t, avg: null, min: null, max: null });
  }
  return out;
}

/** Keep a subject's samples newest-last, without duplicates, and none older than `keepMs` before `now`. */
export function addSamples(existing: readonly LiveSample[], incoming: readonly LiveSample[], now: number, keepMs: number): LiveSample[] {
  const lastTs = existing.at(-1)?.ts ?? -Infinity;
  const fresh = incoming.filter((s) => s.ts > lastTs);
  if (fresh.length === 0 && (existing[0]?.ts ?? now) > now - keepMs) return existing as LiveSample[];
  return [...existing, ...fresh].filter((s) => s.ts > now - keepMs);
}

/**
 * A standby's full lag in bytes as the primary sees it: the send, write, flush and replay stages added
 * up (= current WAL LSN − replay LSN). The cluster table, the stored series and the live chart all use
 * this one figure, so the chart and the table always agree. Null while a stage is unknown.
 */
export function replicationLagBytes(r: Pick<ReplicationRow, "sendLagBytes" | "writeLagBytes" | "flushLagBytes" | "replayLagBytes"> | undefined): number | null {
  if (!r) return null;
  const parts = [r.sendLagBytes, r.writeLagBytes, r.flushLagBytes, r.replayLagBytes];
  let total = 0;
  for (const p of parts) {
    if (p === null || p === undefined) return null;
    total += p;
  }
  return total;
}

export { lagSubject };

/**
 * The lag samples a snapshot holds for one cluster, exactly as the runtime stores them: lag_bytes from
 * the primary's pg_stat_replication (all stages, per application_name), lag_seconds from each
 * standby itself; stamped with the probe's time.
 */
export function lagSamplesOf(snapshot: Snapshot, clusterId: string): Map<string, LiveSample> {
  const out = new Map<string, LiveSample>();
  const cluster = snapshot.clusters.find((c) => c.id === clusterId);
  if (!cluster) return out;
  for (const u of snapshot.units) {
    if (u.kind !== "postgres" || u.targetId !== clusterId || !u.node || u.lastProbeAt === null || !u.data) continue;
    const d = u.data as PostgresData;
    for (const r of d.replication ?? []) {
      const bytes = replicationLagBytes(r);
      if (bytes !== null) out.set(`${lagSubject(clusterId, r.applicationName)}|lag_bytes`, { ts: u.lastProbeAt, value: bytes });
    }
    const secs = d.standby?.replayLagSeconds;
    if (secs !== null && secs !== undefined) out.set(`${lagSubject(clusterId, u.node)}|lag_seconds`, { ts: u.lastProbeAt, value: secs });
  }
  return out;
}

/** The chart ranges series.get serves; the short ones are extended live from snapshots. */
export const LAG_RANGES = [
  { id: "5m", label: "5 min", ms: 5 * 60_000, live: true },
  { id: "1h", label: "1 h", ms: 3_600_000, live: true },
  { id: "24h", label: "24 h", ms: 86_400_000, live: false },
  { id: "30d", label: "30 days", ms: 30 * 86_400_000, live: false },
] as const;
export type LagRange = (typeof LAG_RANGES)[number]["id"];

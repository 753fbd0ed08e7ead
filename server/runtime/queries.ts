import "server-only";
import { pause, Waker } from "@/lib/async";
import type { Snapshot } from "@/lib/snapshot";
import { AppError } from "@/server/errors";
import type { Store } from "@/server/store";
import type { Runtime } from "./runtime";

/** Reads of the live state and its stored history. The runtime polls; these only look at what it produced. */

export function requireRuntime(runtime: Runtime | undefined): Runtime {
  if (!runtime) throw new AppError("UNAVAILABLE", "The poller is not running in this server process yet; try again in a moment.");
  return runtime;
}

export function overview(runtime: Runtime | undefined): Snapshot {
  return requireRuntime(runtime).current();
}

export function clusterDetail(runtime: Runtime | undefined, id: string) {
  const snap = requireRuntime(runtime).current();
  const cluster = snap.clusters.find((c) => c.id === id);
  if (!cluster) throw new AppError("NOT_FOUND", `No Patroni cluster "${id}" in the config; known: ${snap.clusters.map((c) => c.id).join(", ") || "none"}.`);
  const units = snap.units.filter((u) => u.targetId === id);
  return { at: snap.at, version: snap.version, cluster, units, findings: snap.findings.filter((f) => f.subjects.some((s) => s.includes(id))) };
}

export function nodeDetail(runtime: Runtime | undefined, clusterId: string, node: string) {
  const { cluster, units, at } = clusterDetail(runtime, clusterId);
  const member = cluster.members.find((m) => m.name === node);
  if (!member) throw new AppError("NOT_FOUND", `No node "${node}" in cluster "${clusterId}"; known: ${cluster.members.map((m) => m.name).join(", ")}.`);
  return { at, clusterId, member, units: units.filter((u) => u.node === node) };
}

/** The current snapshot, then each newer one, until the signal aborts; bursts within `minGapMs` are coalesced. */
export async function* snapshots(runtime: Runtime | undefined, signal: AbortSignal | undefined, minGapMs = 200): AsyncGenerator<Snapshot> {
  const rt = requireRuntime(runtime);
  let latest: Snapshot = rt.current();
  const changed = new Waker();
  const unsubscribe = rt.subscribe((s) => {
    latest = s;
    changed.wake();
  });
  try {
    let sent = latest.version;
    yield latest;
    while (!signal?.aborted) {
      if (latest.version === sent) {
        await changed.wait(undefined, signal);
        continue;
      }
      sent = latest.version;
      yield latest;
      // A page needs the latest state, not every intermediate one.
      await pause(minGapMs, signal);
    }
  } finally {
    unsubscribe();
  }
}

export const RANGES = { "5m": 5 * 60_000, "1h": 3_600_000, "24h": 86_400_000, "30d": 30 * 86_400_000 } as const;
export type Range = keyof typeof RANGES;

/** One stored series over a range ending at `now`, downsampled by the store; gaps come back as nulls. */
export async function series(store: Store, q: { subject: string; metric: string; range: Range; maxPoints?: number }, now: number) {
  const from = now - RANGES[q.range];
  const points = await store.series({ subject: q.subject, metric: q.metric, from, to: now, maxPoints: q.maxPoints ?? 1000, now });
  return { subject: q.subject, metric: q.metric, range: q.range, from, to: now, points };
}

import "server-only";
import { AppError } from "@/server/errors";
import type { Runtime } from "@/server/runtime/runtime";
import type { Snapshot } from "@/lib/snapshot";

/** Reads of the live state. The runtime polls; these only look at its latest snapshot. */

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

/** Resolves when the runtime publishes a snapshot newer than `after`, or the signal aborts. */
export async function* snapshots(runtime: Runtime | undefined, signal: AbortSignal | undefined, minGapMs = 200): AsyncGenerator<Snapshot> {
  const rt = requireRuntime(runtime);
  let latest: Snapshot = rt.current();
  let wake: (() => void) | undefined;
  const unsubscribe = rt.subscribe((s) => {
    latest = s;
    wake?.();
  });
  const aborted = new Promise<void>((resolve) => signal?.addEventListener("abort", () => resolve(), { once: true }));
  try {
    let sent = -1;
    yield latest;
    sent = latest.version;
    while (!signal?.aborted) {
      if (latest.version === sent) {
        await Promise.race([new Promise<void>((r) => (wake = r)), aborted]);
        wake = undefined;
        continue;
      }
      yield latest;
      sent = latest.version;
      // Coalesce bursts: a page needs the latest state, not every intermediate one.
      await Promise.race([new Promise((r) => setTimeout(r, minGapMs)), aborted]);
    }
  } finally {
    unsubscribe();
  }
}

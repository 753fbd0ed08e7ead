import type { Store } from "@/server/store";
import type { RuntimeSink } from "./runtime";

/** The control store as the runtime's sink: the runtime never sees SQL. */
export function storeSink(store: Store): RuntimeSink {
  return {
    recordTransitions: (rows, instanceId) =>
      store.recordTransitions(rows.map((r) => ({ ...r, instanceId }))),
    recordSamples: (rows) => store.recordSamples(rows),
    recordEvents: (rows) => store.recordEvents(rows),
    heartbeat: (instanceId, startedAt, now) => store.heartbeat(instanceId, startedAt, now),
    latestStatuses: async () => new Map((await store.latestTransitions()).map((t) => [t.subject, { status: t.toStatus, at: t.at }])),
    maintain: async (now) => void (await store.maintain(now)),
  };
}

import type { Store } from "@/server/store";
import { withTransaction } from "@/server/store/store";
import { activeAlerts, enqueueAlertEvents } from "@/server/store/alerts";
import { slaAlertFigures } from "@/server/sla/service";
import type { RuntimeSink } from "./runtime";

/** The control store as the runtime's sink: the runtime never sees SQL. */
export function storeSink(store: Store): RuntimeSink {
  return {
    recordTransitions: async (rows, instanceId, alerts) => {
      const transitions = rows.map((r) => ({ ...r, instanceId }));
      if (alerts.length === 0) return store.recordTransitions(transitions);
      // The transitions and the notifications they owe commit together or not at all.
      await withTransaction(store, async (tx) => {
        await tx.recordTransitions(transitions);
        await enqueueAlertEvents(tx, alerts);
      });
    },
    recordSamples: (rows) => store.recordSamples(rows),
    recordEvents: (rows) => store.recordEvents(rows),
    heartbeat: (instanceId, startedAt, now) => store.heartbeat(instanceId, startedAt, now),
    latestStatuses: async () => new Map((await store.latestTransitions()).map((t) => [t.subject, { status: t.toStatus, at: t.at }])),
    maintain: async (now) => void (await store.maintain(now)),
    alerts: {
      active: () => activeAlerts(store),
      slaFigures: (config, now) => slaAlertFigures({ config, store }, now),
    },
  };
}

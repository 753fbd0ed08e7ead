/**
 * The alert outbox and the alerts' current state. `enqueueAlertEvents` is called with the store of the
 * transaction that records the cause (a transition, a finding, an action change), so the change and
 * the notifications it owes commit together or not at all. Delivery reads the outbox in id order.
 */
import { asc, eq, gt, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { ALERT_SEVERITIES, ALERT_SOURCES, ALERT_STATUSES, type AlertEvent, type AlertLabels, type AlertAnnotations, type AlertSource, type AlertView } from "../../lib/alerts";
import { parseInput } from "../errors";
import { Instant } from "./inputs";
import { alertEvents, alerts } from "./schema-alerts";
import { storeDb, type Store } from "./store";

// The store's Instant (fractions included, as the runtime computes them: a probe's start is its answer
// less a performance.now() latency), kept at the store's millisecond.
const Ms = Instant.transform(Math.floor);
const AlertEventInput = z.object({
  fingerprint: z.string().regex(/^[0-9a-f]{16}$/),
  status: z.enum(ALERT_STATUSES),
  at: Ms,
  labels: z.record(z.string(), z.string()).and(z.object({ alertname: z.string().min(1), severity: z.enum(ALERT_SEVERITIES) })),
  annotations: z.record(z.string(), z.string()).and(z.object({ summary: z.string(), description: z.string() })),
  path: z.string().startsWith("/"),
  source: z.enum(ALERT_SOURCES),
  startsAt: Ms,
  endsAt: Ms.nullable(),
  expiresAt: Ms.nullable().optional(),
});
const AlertEventBatch = z.array(AlertEventInput).max(10_000);

/** A stored outbox row. */
export interface StoredAlertEvent extends AlertEvent {
  id: number;
}

/** An alert's latest state: what /alerts lists, before routing names its receivers. */
export type StoredAlert = Omit<AlertView, "receivers"> & { updatedAt: number };

const d = (ms: number | null | undefined) => (ms == null ? null : new Date(ms));

/**
 * Appends the events to the outbox and folds each into its alert's row. Give it the store of the
 * transaction that records their cause (withTransaction); alone, the events still commit together.
 */
export async function enqueueAlertEvents(store: Store, input: readonly AlertEvent[]): Promise<StoredAlertEvent[]> {
  const list = parseInput(AlertEventBatch, input, { what: "alert events" });
  if (list.length === 0) return [];
  const db = storeDb(store);
  const write = async (tx: typeof db) => {
    const rows = await tx
      .insert(alertEvents)
      .values(list.map((e) => ({ at: new Date(e.at), fingerprint: e.fingerprint, status: e.status, source: e.source, labels: e.labels, annotations: e.annotations, path: e.path, startsAt: new Date(e.startsAt), endsAt: d(e.endsAt) })))
      .returning({ id: alertEvents.id });
    // In order: a later event of the same alert wins.
    for (const [i, e] of list.entries()) {
      const id = rows[i]!.id;
      const firing = e.status === "firing";
      const values = {
        fingerprint: e.fingerprint,
        alertname: e.labels.alertname,
        severity: e.labels.severity,
        source: e.source,
        labels: e.labels,
        annotations: e.annotations,
        path: e.path,
        startsAt: new Date(e.startsAt),
        expiresAt: d(e.expiresAt),
        resolvedAt: firing ? null : new Date(e.endsAt ?? e.at),
        updatedAt: new Date(e.at),
        lastEventId: id,
      };
      await tx.insert(alerts).values(values).onConflictDoUpdate({ target: alerts.fingerprint, set: { ...values, fingerprint: undefined } });
    }
    return rows.map((r, i) => ({ ...list[i]!, expiresAt: list[i]!.expiresAt ?? null, id: r.id }) as StoredAlertEvent);
  };
  return list.length === 1 ? write(db) : db.transaction(async (tx) => write(tx as unknown as typeof db));
}

function toStoredAlert(r: typeof alerts.$inferSelect): StoredAlert {
  return {
    fingerprint: r.fingerprint,
    labels: r.labels as AlertLabels,
    annotations: r.annotations as AlertAnnotations,
    path: r.path,
    source: r.source as AlertSource,
    startsAt: r.startsAt.getTime(),
    expiresAt: r.expiresAt ? r.expiresAt.getTime() : null,
    resolvedAt: r.resolvedAt ? r.resolvedAt.getTime() : null,
    updatedAt: r.updatedAt.getTime(),
  };
}

/** Alerts not resolved (including one-shot alerts past their expiry, which a sweep resolves). */
export async function activeAlerts(store: Store): Promise<StoredAlert[]> {
  const rows = await storeDb(store).select().from(alerts).where(isNull(alerts.resolvedAt)).orderBy(asc(alerts.startsAt), asc(alerts.fingerprint));
  return rows.map(toStoredAlert);
}

export async function getAlert(store: Store, fingerprint: string): Promise<StoredAlert | null> {
  const [r] = await storeDb(store).select().from(alerts).where(eq(alerts.fingerprint, fingerprint)).limit(1);
  return r ? toStoredAlert(r) : null;
}

/** Outbox rows after `afterId`, oldest first. */
export async function alertEventsAfter(store: Store, afterId: number, limit = 500): Promise<StoredAlertEvent[]> {
  const rows = await storeDb(store).select().from(alertEvents).where(gt(alertEvents.id, afterId)).orderBy(asc(alertEvents.id)).limit(limit);
  return rows.map((r) => ({
    id: r.id,
    at: r.at.getTime(),
    fingerprint: r.fingerprint,
    status: r.status as StoredAlertEvent["status"],
    source: r.source as AlertSource,
    labels: r.labels as AlertLabels,
    annotations: r.annotations as AlertAnnotations,
    path: r.path,
    startsAt: r.startsAt.getTime(),
    endsAt: r.endsAt ? r.endsAt.getTime() : null,
    expiresAt: null,
  }));
}

/** The newest outbox id (0 when empty): where a receiver added to the config starts. */
export async function lastAlertEventId(store: Store): Promise<number> {
  const [r] = await storeDb(store).select({ id: sql<number>`coalesce(max(${alertEvents.id}), 0)::bigint` }).from(alertEvents);
  return Number(r?.id ?? 0);
}


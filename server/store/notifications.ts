/**
 * Delivery state in the control store: each receiver's progress through the alert outbox, its
 * notification groups, and the notifications with their delivery log. The dispatcher writes cursor,
 * groups and new notifications in one transaction (withTransaction), so a crash between them loses or
 * repeats nothing; workers claim due notifications with a lease (`for update skip locked`), so two
 * dashboards never send one at the same time, and a crashed worker's claim runs out by itself.
 */
import { and, asc, desc, eq, inArray, lt, sql } from "drizzle-orm";
import type { DeliveryAttempt, NotificationState, NotificationView } from "../../lib/alerts";
import type { GroupState } from "../alerting/group";
import { rows, ts } from "./db";
import { alertEvents, alertGroups, notifications, receiverCursors } from "./schema-alerts";
import { storeDb, type Store } from "./store";

type Row = typeof notifications.$inferSelect;
const t = (x: Date | null) => (x ? x.getTime() : null);
const d = (ms: number | null | undefined) => (ms == null ? null : new Date(ms));

/**
 * Locks the receiver's cursor for this transaction and returns it. A receiver seen for the first time
 * starts at the end of the outbox (`created`: the caller seeds it with the alerts active now).
 */
export async function lockCursor(tx: Store, receiver: string, now: number): Promise<{ lastEventId: number; created: boolean }> {
  const db = storeDb(tx);
  const inserted = await db
    .insert(receiverCursors)
    .values({ receiver, lastEventId: sql`(select coalesce(max(${alertEvents.id}), 0) from ${alertEvents})`, updatedAt: new Date(now) })
    .onConflictDoNothing()
    .returning({ id: receiverCursors.lastEventId });
  const [row] = await db.select({ id: receiverCursors.lastEventId }).from(receiverCursors).where(eq(receiverCursors.receiver, receiver)).for("update");
  return { lastEventId: Number(row!.id), created: inserted.length > 0 };
}

export async function setCursor(tx: Store, receiver: string, lastEventId: number, now: number): Promise<void> {
  await storeDb(tx).update(receiverCursors).set({ lastEventId, updatedAt: new Date(now) }).where(eq(receiverCursors.receiver, receiver));
}

interface StoredGroupAlerts {
  routeKey: string;
  alerts: GroupState["alerts"];
}

export async function loadGroups(tx: Store, receiver: string): Promise<GroupState[]> {
  const list = await storeDb(tx).select().from(alertGroups).where(eq(alertGroups.receiver, receiver)).orderBy(asc(alertGroups.createdAt), asc(alertGroups.groupKey));
  return list.map((r) => ({
    groupKey: r.groupKey,
    groupLabels: r.groupLabels as Record<string, string>,
    routeKey: (r.alerts as StoredGroupAlerts).routeKey ?? "{}",
    alerts: (r.alerts as StoredGroupAlerts).alerts,
    createdAt: r.createdAt.getTime(),
    lastNotifiedAt: t(r.lastNotifiedAt),
  }));
}

export async function saveGroup(tx: Store, receiver: string, g: GroupState, dirty: boolean, now: number): Promise<void> {
  const values = {
    receiver,
    groupKey: g.groupKey,
    groupLabels: g.groupLabels,
    alerts: { routeKey: g.routeKey, alerts: g.alerts } satisfies StoredGroupAlerts,
    dirty,
    createdAt: new Date(g.createdAt),
    lastNotifiedAt: d(g.lastNotifiedAt),
    updatedAt: new Date(now),
  };
  await storeDb(tx)
    .insert(alertGroups)
    .values(values)
    .onConflictDoUpdate({ target: [alertGroups.receiver, alertGroups.groupKey], set: { ...values, receiver: undefined, groupKey: undefined } });
}

export async function deleteGroup(tx: Store, receiver: string, groupKey: string): Promise<void> {
  await storeDb(tx).delete(alertGroups).where(and(eq(alertGroups.receiver, receiver), eq(alertGroups.groupKey, groupKey)));
}

export interface NewNotification {
  webhookId: string;
  receiver: string;
  groupKey: string;
  state: Extract<NotificationState, "pending" | "silenced">;
  body: string;
  title: string;
  alertCount: number;
  fingerprints: string[];
  createdAt: number;
  note?: string | null;
}

export async function insertNotifications(tx: Store, list: readonly NewNotification[]): Promise<number[]> {
  if (list.length === 0) return [];
  const out = await storeDb(tx)
    .insert(notifications)
    .values(list.map((n) => ({ ...n, createdAt: new Date(n.createdAt), nextAttemptAt: n.state === "pending" ? new Date(n.createdAt) : null, note: n.note ?? null })))
    .returning({ id: notifications.id });
  return out.map((r) => r.id);
}

/** A notification a worker holds until `claimedUntil`. */
export interface ClaimedNotification {
  id: number;
  webhookId: string;
  receiver: string;
  groupKey: string;
  body: string;
  attempts: number;
  claimedUntil: number;
}

/**
 * Claims up to `limit` due notifications until now + leaseMs. Within one receiver's group only the
 * oldest pending one is due, so a receiver hears a group's changes in order even across retries.
 */
export async function claimDue(store: Store, opts: { now: number; leaseMs: number; limit: number; receivers?: readonly string[] }): Promise<ClaimedNotification[]> {
  const until = opts.now + opts.leaseMs;
  const only = opts.receivers ? sql`and n.receiver in (${sql.join(opts.receivers.map((r) => sql`${r}`), sql`, `)})` : sql``;
  if (opts.receivers && opts.receivers.length === 0) return [];
  const list = await rows<{ id: string | number; webhook_id: string; receiver: string; group_key: string; body: string; attempts: number }>(
    storeDb(store),
    sql`with due as (
          select n.id from notifications n
          where n.state = 'pending' and n.next_attempt_at <= ${ts(opts.now)}
            and (n.claimed_until is null or n.claimed_until <= ${ts(opts.now)}) ${only}
            and not exists (select 1 from notifications o where o.receiver = n.receiver and o.group_key = n.group_key and o.state = 'pending' and o.id < n.id)
          order by n.next_attempt_at, n.id
          limit ${opts.limit}
          for update skip locked
        )
        update notifications set claimed_until = ${ts(until)} from due where notifications.id = due.id
        returning notifications.id, notifications.webhook_id, notifications.receiver, notifications.group_key, notifications.body, notifications.attempts`,
  );
  return list
    .map((r) => ({ id: Number(r.id), webhookId: r.webhook_id, receiver: r.receiver, groupKey: r.group_key, body: r.body, attempts: r.attempts, claimedUntil: until }))
    .sort((a, b) => a.id - b.id);
}

export interface AttemptRecord {
  attempt: DeliveryAttempt;
  state: Extract<NotificationState, "pending" | "delivered" | "dead">;
  note?: string | null;
}

/**
 * Appends an attempt to the log and moves the notification on (pending with its next attempt, or
 * delivered, or dead), releasing the claim. Only while still pending: false when it was not.
 */
export async function recordAttempt(store: Store, id: number, r: AttemptRecord): Promise<boolean> {
  const a = r.attempt;
  const out = await storeDb(store)
    .update(notifications)
    .set({
      state: r.state,
      attempts: sql`${notifications.attempts} + 1`,
      log: sql`${notifications.log} || ${JSON.stringify([a])}::jsonb`,
      lastCode: a.code,
      lastError: a.error,
      lastLatencyMs: Math.round(a.latencyMs),
      nextAttemptAt: r.state === "pending" ? d(a.retryAt) : null,
      deliveredAt: r.state === "delivered" ? new Date(a.at + a.latencyMs) : null,
      claimedUntil: null,
      ...(r.note !== undefined ? { note: r.note } : {}),
    })
    .where(and(eq(notifications.id, id), eq(notifications.state, "pending")))
    .returning({ id: notifications.id });
  return out.length > 0;
}

/** Gives claims back (a stopping worker that did not get to send): due again at once. */
export async function releaseClaims(store: Store, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await storeDb(store)
    .update(notifications)
    .set({ claimedUntil: null })
    .where(and(inArray(notifications.id, [...ids]), eq(notifications.state, "pending")));
}

export function toNotificationView(r: Row): NotificationView {
  return {
    id: r.id,
    webhookId: r.webhookId,
    receiver: r.receiver,
    groupKey: r.groupKey,
    state: r.state as NotificationState,
    alertCount: r.alertCount,
    title: r.title,
    createdAt: r.createdAt.getTime(),
    attempts: r.attempts,
    nextAttemptAt: t(r.nextAttemptAt),
    deliveredAt: t(r.deliveredAt),
    lastCode: r.lastCode,
    lastError: r.lastError,
    lastLatencyMs: r.lastLatencyMs,
    note: r.note,
    log: r.log as DeliveryAttempt[],
  };
}

export interface NotificationQuery {
  receiver?: string;
  states?: readonly NotificationState[];
  /** Older than this id (paging, newest first). */
  beforeId?: number;
  limit?: number;
}

/** Newest first. */
export async function listNotifications(store: Store, q: NotificationQuery = {}): Promise<NotificationView[]> {
  const list = await storeDb(store)
    .select()
    .from(notifications)
    .where(
      and(
        q.receiver === undefined ? undefined : eq(notifications.receiver, q.receiver),
        q.states === undefined ? undefined : inArray(notifications.state, [...q.states]),
        q.beforeId === undefined ? undefined : lt(notifications.id, q.beforeId),
      ),
    )
    .orderBy(desc(notifications.id))
    .limit(Math.min(Math.max(q.limit ?? 100, 1), 1000));
  return list.map(toNotificationView);
}

export async function getNotification(store: Store, id: number): Promise<NotificationView | null> {
  const [r] = await storeDb(store).select().from(notifications).where(eq(notifications.id, id));
  return r ? toNotificationView(r) : null;
}

/** The frozen body of a notification (what every attempt sent). */
export async function notificationBody(store: Store, id: number): Promise<string | null> {
  const [r] = await storeDb(store).select({ body: notifications.body }).from(notifications).where(eq(notifications.id, id));
  return r?.body ?? null;
}

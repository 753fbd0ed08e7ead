/**
 * What /alerts reads from the alerting tables: the active alerts with the receivers their route sends
 * them to, and per receiver its delivery log (notifications, newest first) and the outbox events it
 * has not routed yet. Read-only; the config decides which receivers exist. Receiver URLs are shown
 * without credentials, query or (for Slack, whose path is the token) path.
 */
import { desc, eq, gt, sql } from "drizzle-orm";
import type { AlertLabels, AlertSource, AlertView, DeliveryAttempt, NotificationState, NotificationView } from "../../lib/alerts";
import type { Config } from "../config/load";
import { activeAlerts } from "./alerts";
import { alertEvents, notifications, receiverCursors } from "./schema-alerts";
import { storeDb, type Store } from "./store";

export type Alerting = NonNullable<Config["alerting"]>;
type ReceiverConfig = Alerting["receivers"][number];

/**
 * The receivers an alert goes to, as Alertmanager's route tree one level deep decides: children in
 * order, the first match wins unless it says `continue`; no match, the top route's receiver. A test
 * notification names its receiver and goes there only.
 */
export function receiversOf(alerting: Alerting, labels: Record<string, string>, source: AlertSource): string[] {
  if (source === "test") return labels.receiver ? [labels.receiver] : [];
  const out: string[] = [];
  for (const r of alerting.route.routes) {
    const hit = Object.entries(r.match).every(([name, want]) => {
      const have = labels[name] ?? "";
      return Array.isArray(want) ? want.includes(have) : want === have;
    });
    if (!hit) continue;
    if (!out.includes(r.receiver)) out.push(r.receiver);
    if (!r.continue) return out;
  }
  if (out.length === 0) out.push(alerting.route.receiver);
  return out;
}

export interface ActiveAlertView extends AlertView {
  ageMs: number;
}

/** Active alerts, most severe first, then oldest first. */
export async function activeAlertViews(store: Store, alerting: Alerting | undefined, now: number): Promise<ActiveAlertView[]> {
  const rank = { critical: 0, warning: 1, info: 2 } as const;
  const rows = await activeAlerts(store);
  return rows
    .map((a) => ({
      fingerprint: a.fingerprint,
      labels: a.labels,
      annotations: a.annotations,
      path: a.path,
      source: a.source,
      startsAt: a.startsAt,
      expiresAt: a.expiresAt,
      resolvedAt: a.resolvedAt,
      receivers: alerting ? receiversOf(alerting, a.labels, a.source) : [],
      ageMs: Math.max(0, now - a.startsAt),
    }))
    .sort((x, y) => (rank[x.labels.severity] ?? 3) - (rank[y.labels.severity] ?? 3) || x.startsAt - y.startsAt);
}

/** Where a receiver sends, safe to show: scheme, host, port and path; no user, no query; a Slack hook's path is its token. */
export function displayUrl(r: Pick<ReceiverConfig, "url"> & { format?: string }): string {
  if (!URL.canParse(r.url)) return "(invalid URL)";
  const u = new URL(r.url);
  const path = r.format === "slack" ? (u.pathname === "/" ? "" : "/…") : u.pathname === "/" ? "" : u.pathname;
  return `${u.protocol}//${u.host}${path}${u.search ? "?…" : ""}`;
}

/** An outbox event this receiver has not routed yet: shown as queued until it becomes a notification. */
export interface QueuedEventView {
  eventId: number;
  at: number;
  status: "firing" | "resolved";
  source: AlertSource;
  alertname: string;
  severity: string;
  summary: string;
}

export interface ReceiverView {
  name: string;
  type: ReceiverConfig["type"];
  url: string;
  /** Webhooks: the body's format. */
  format: "alertmanager" | "slack" | null;
  /** Webhooks: how many signing secrets (never the secrets). */
  signingSecrets: number;
  basicAuth: boolean;
  sendResolved: boolean;
  timeoutMs: number;
  maxAttempts: number;
  /** The outbox position this receiver has routed to (null: not yet started). */
  cursor: number | null;
  queued: QueuedEventView[];
  notifications: NotificationView[];
  counts: Record<NotificationState, number>;
}

function toNotificationView(r: typeof notifications.$inferSelect): NotificationView {
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
    nextAttemptAt: r.nextAttemptAt ? r.nextAttemptAt.getTime() : null,
    deliveredAt: r.deliveredAt ? r.deliveredAt.getTime() : null,
    lastCode: r.lastCode,
    lastError: r.lastError,
    lastLatencyMs: r.lastLatencyMs,
    note: r.note,
    log: Array.isArray(r.log) ? (r.log as DeliveryAttempt[]) : [],
  };
}

/** A receiver's newest notifications (the body, which the receiver gets, stays in the store). */
export async function receiverNotifications(store: Store, receiver: string, limit: number): Promise<NotificationView[]> {
  const rows = await storeDb(store).select().from(notifications).where(eq(notifications.receiver, receiver)).orderBy(desc(notifications.createdAt), desc(notifications.id)).limit(limit);
  return rows.map(toNotificationView);
}

/** Notifications per receiver and state. */
async function notificationCounts(store: Store): Promise<Map<string, Record<NotificationState, number>>> {
  const rows = await storeDb(store)
    .select({ receiver: notifications.receiver, state: notifications.state, n: sql<number>`count(*)::int` })
    .from(notifications)
    .groupBy(notifications.receiver, notifications.state);
  const out = new Map<string, Record<NotificationState, number>>();
  for (const r of rows) {
    const counts = out.get(r.receiver) ?? { pending: 0, delivered: 0, dead: 0, silenced: 0 };
    counts[r.state as NotificationState] = Number(r.n);
    out.set(r.receiver, counts);
  }
  return out;
}

/** How far each receiver has routed the outbox. */
async function cursors(store: Store): Promise<Map<string, number>> {
  const rows = await storeDb(store).select().from(receiverCursors);
  return new Map(rows.map((r) => [r.receiver, r.lastEventId]));
}

/** The newest outbox events after `afterId` (at most `scan`), newest first. */
async function eventsAfter(store: Store, afterId: number, scan: number): Promise<(typeof alertEvents.$inferSelect)[]> {
  return storeDb(store).select().from(alertEvents).where(gt(alertEvents.id, afterId)).orderBy(desc(alertEvents.id)).limit(scan);
}

/** Those of `rows` after the receiver's cursor that route to it, newest first. */
function queuedFor(rows: (typeof alertEvents.$inferSelect)[], alerting: Alerting, receiver: string, afterId: number, limit: number): QueuedEventView[] {
  const out: QueuedEventView[] = [];
  for (const r of rows) {
    if (r.id <= afterId) break;
    const labels = r.labels as AlertLabels;
    if (!receiversOf(alerting, labels, r.source as AlertSource).includes(receiver)) continue;
    out.push({
      eventId: r.id,
      at: r.at.getTime(),
      status: r.status as QueuedEventView["status"],
      source: r.source as AlertSource,
      alertname: labels.alertname,
      severity: labels.severity,
      summary: String((r.annotations as Record<string, unknown>).summary ?? ""),
    });
    if (out.length >= limit) break;
  }
  return out;
}

/** How many unrouted outbox events are looked at, and how many are listed per receiver. */
const QUEUED_SCAN = 500;
const QUEUED_SHOWN = 20;

/** Each configured receiver with its delivery log; empty when there is no `alerting:` section. */
export async function receiverViews(store: Store, alerting: Alerting | undefined, opts: { limit: number }): Promise<ReceiverView[]> {
  if (!alerting) return [];
  const at = await cursors(store);
  const counts = await notificationCounts(store);
  const behind = Math.min(...alerting.receivers.map((r) => at.get(r.name) ?? 0));
  const unrouted = await eventsAfter(store, behind, QUEUED_SCAN);
  const views: ReceiverView[] = [];
  for (const r of alerting.receivers) {
    const cursor = at.get(r.name) ?? null;
    views.push({
      name: r.name,
      type: r.type,
      url: displayUrl(r),
      format: r.type === "webhook" ? r.format : null,
      signingSecrets: r.type === "webhook" ? r.secrets.length : 0,
      basicAuth: r.type === "alertmanager" && r.basicAuth !== undefined,
      sendResolved: r.type === "webhook" ? r.sendResolved : true,
      timeoutMs: r.timeoutMs,
      maxAttempts: r.maxAttempts,
      cursor,
      queued: queuedFor(unrouted, alerting, r.name, cursor ?? 0, QUEUED_SHOWN),
      notifications: await receiverNotifications(store, r.name, opts.limit),
      counts: counts.get(r.name) ?? { pending: 0, delivered: 0, dead: 0, silenced: 0 },
    });
  }
  return views;
}

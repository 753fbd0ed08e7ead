/**
 * What /alerts reads from the alerting tables: the active alerts with the receivers their route sends
 * them to, and per receiver its delivery log (notifications, newest first) and the outbox events it
 * has not routed yet. Read-only; the config decides which receivers exist. Receiver URLs are shown
 * without credentials, query or (for Slack, whose path is the token) path.
 */
import { desc, gt, sql } from "drizzle-orm";
import type { AlertLabels, AlertSource, AlertView, NotificationState, NotificationView } from "../../lib/alerts";
import { receiversOf as routeReceivers } from "../alerting/route";
import type { Config } from "../config/load";
import { activeAlerts } from "./alerts";
import { listNotifications } from "./notifications";
import { alertEvents, notifications, receiverCursors } from "./schema-alerts";
import { storeDb, type Store } from "./store";

export type Alerting = NonNullable<Config["alerting"]>;
type ReceiverConfig = Alerting["receivers"][number];

/** The receivers an alert goes to: delivery's own routing, so the page says what delivery does. */
export const receiversOf = (alerting: Alerting, labels: Record<string, string>, source: AlertSource): string[] => routeReceivers(alerting.route, labels, source);

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
      notifications: await listNotifications(store, { receiver: r.name, limit: opts.limit }),
      counts: counts.get(r.name) ?? { pending: 0, delivered: 0, dead: 0, silenced: 0 },
    });
  }
  return views;
}

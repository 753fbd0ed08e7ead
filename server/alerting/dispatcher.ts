import { randomUUID } from "node:crypto";
import type { AlertSource } from "@/lib/alerts";
import { activeAlerts, alertEventsAfter } from "@/server/store/alerts";
import { deleteGroup, insertNotifications, loadGroups, lockCursor, saveGroup, setCursor, type NewNotification } from "@/server/store/notifications";
import { listMaintenanceWindows, type StoredMaintenanceWindow } from "@/server/store/sla";
import { withTransaction, type Store } from "@/server/store/store";
import { countNotification } from "./counters";
import { addToGroup, decide, hasNews, type AlertChange, type GroupState } from "./group";
import { postableAlerts, slackMessage, titleOf, webhookV4, type NotificationInput } from "./payload";
import { groupKeyOf, groupLabelsOf, groupingsByRouteKey, routeAlert, type Grouping } from "./route";
import { newWebhookId } from "./sign";
import type { AlertingConfig, AlertmanagerReceiverConfig, ReceiverConfig, WebhookReceiverConfig } from "./settings";

/**
 * Turns the alert outbox into notifications, one receiver at a time. For each receiver, in ONE
 * transaction: lock its cursor, read the outbox after it, route each change, silence what a
 * maintenance window covers, fold the rest into the receiver's groups, decide which groups are due
 * and write their notifications (body frozen, webhook id fixed), then move the cursor. A crash
 * anywhere rolls all of it back, so the next pass does the same work again: nothing lost, nothing twice.
 */

export interface DispatchContext {
  settings: AlertingConfig;
  externalURL: string;
  now: () => number;
  uuid?: () => string;
}

export interface DispatchResult {
  /** Outbox rows routed in this pass. */
  events: number;
  created: number;
  silenced: number;
  /** More outbox rows wait than one pass takes. */
  more: boolean;
  /** When a group of this receiver is next due (null: only when an alert changes). */
  nextDueAt: number | null;
}

/** Outbox rows routed per transaction. */
const BATCH = 500;

/** Alerts about the dashboard itself are never silenced by a component's maintenance. */
const NEVER_SILENCED: readonly AlertSource[] = ["watchdog", "test", "self"];

interface Change extends AlertChange {
  at: number;
}

/** The window that silences a change, if any: active at the change, covering its component or "*". */
export function silencingWindow(change: { at: number; status: string; source: AlertSource; labels: Record<string, string> }, windows: readonly StoredMaintenanceWindow[]): StoredMaintenanceWindow | null {
  // A resolve always goes through: a receiver told an alert fires must hear that it ended.
  if (change.status !== "firing" || NEVER_SILENCED.includes(change.source)) return null;
  const component = change.labels.component;
  return windows.find((w) => w.start <= change.at && change.at < w.effectiveEnd && (w.components.includes("*") || (component !== undefined && w.components.includes(component)))) ?? null;
}

function bodyFor(receiver: WebhookReceiverConfig, n: NotificationInput): string {
  return JSON.stringify(receiver.format === "slack" ? slackMessage(n) : webhookV4(n));
}

async function windowsFor(tx: Store, changes: readonly Change[]): Promise<StoredMaintenanceWindow[]> {
  const firing = changes.filter((c) => c.status === "firing");
  if (firing.length === 0) return [];
  const from = Math.min(...firing.map((c) => c.at));
  const to = Math.max(...firing.map((c) => c.at)) + 1;
  return listMaintenanceWindows(tx, { from, to, includeCancelled: true, limit: 10_000 });
}

export async function dispatchReceiver(store: Store, ctx: DispatchContext, receiver: ReceiverConfig): Promise<DispatchResult> {
  const uuid = ctx.uuid ?? randomUUID;
  const result = await withTransaction(store, async (tx) => {
    const now = ctx.now();
    const cursor = await lockCursor(tx, receiver.name, now);
    const events = await alertEventsAfter(tx, cursor.lastEventId, BATCH);
    const changes: Change[] = [...events];
    if (cursor.created && receiver.type === "webhook") {
      // A receiver new to this store hears about what fires now, not the outbox's history.
      const seed = (await activeAlerts(tx)).filter((a) => a.expiresAt === null || a.expiresAt > now);
      changes.unshift(...seed.map((a) => ({ fingerprint: a.fingerprint, status: "firing" as const, labels: a.labels, annotations: a.annotations, path: a.path, source: a.source, startsAt: a.startsAt, endsAt: null, at: a.updatedAt })));
    }
    const windows = await windowsFor(tx, changes);
    const silenced: NewNotification[] = [];
    const routed: { change: Change; routeKey: string; grouping: Grouping }[] = [];
    for (const change of changes) {
      for (const m of routeAlert(ctx.settings.route, change.labels, change.source)) {
        if (m.receiver !== receiver.name) continue;
        const w = silencingWindow(change, windows);
        if (w) {
          const groupLabels = groupLabelsOf(m.grouping.groupBy, change.labels);
          const input: NotificationInput = { receiver: receiver.name, groupKey: groupKeyOf(m.routeKey, groupLabels), groupLabels, externalURL: ctx.externalURL, alerts: [change] };
          silenced.push({
            webhookId: newWebhookId(uuid()),
            receiver: receiver.name,
            groupKey: input.groupKey,
            state: "silenced",
            body: receiver.type === "webhook" ? bodyFor(receiver, input) : JSON.stringify(postableAlerts([change], ctx.externalURL, now)),
            title: titleOf([change]),
            alertCount: 1,
            fingerprints: [change.fingerprint],
            createdAt: now,
            note: `silenced by maintenance #${w.id}`,
          });
          continue;
        }
        routed.push({ change, routeKey: m.routeKey, grouping: m.grouping });
      }
    }
    const created =
      receiver.type === "webhook" ? await groupAndDecide(tx, ctx, receiver, routed, now, uuid) : { list: alertmanagerBatch(ctx, receiver, routed, now, uuid), nextDueAt: null };
    await insertNotifications(tx, [...silenced, ...created.list]);
    if (events.length > 0) await setCursor(tx, receiver.name, events[events.length - 1]!.id, now);
    return { events: events.length, created: created.list.length, silenced: silenced.length, more: events.length === BATCH, nextDueAt: created.nextDueAt };
  });
  // Counted once committed: a pass that rolls back is done again.
  if (result.silenced > 0) countNotification(receiver.name, "silenced", result.silenced);
  return result;
}

async function groupAndDecide(
  tx: Store,
  ctx: DispatchContext,
  receiver: WebhookReceiverConfig,
  routed: readonly { change: Change; routeKey: string; grouping: Grouping }[],
  now: number,
  uuid: () => string,
): Promise<{ list: NewNotification[]; nextDueAt: number | null }> {
  const loaded = await loadGroups(tx, receiver.name);
  const before = new Map(loaded.map((g) => [g.groupKey, JSON.stringify(g)]));
  const groups = new Map<string, GroupState>(loaded.map((g) => [g.groupKey, g]));
  for (const { change, routeKey, grouping } of routed) {
    const groupLabels = groupLabelsOf(grouping.groupBy, change.labels);
    const groupKey = groupKeyOf(routeKey, groupLabels);
    const next = addToGroup(groups.get(groupKey) ?? null, { groupKey, routeKey, groupLabels }, change, now);
    if (Object.keys(next.alerts).length > 0) groups.set(groupKey, next);
  }
  const timings = groupingsByRouteKey(ctx.settings.route);
  const list: NewNotification[] = [];
  let nextDueAt: number | null = null;
  for (const g of groups.values()) {
    // A route removed from the config: its groups keep the top route's timing.
    const timing = timings.get(g.routeKey) ?? timings.get("{}")!;
    const d = decide(g, timing, receiver.sendResolved, now);
    if (d.kind === "notify" && d.alerts.length > 0) {
      const input: NotificationInput = { receiver: receiver.name, groupKey: g.groupKey, groupLabels: g.groupLabels, externalURL: ctx.externalURL, alerts: d.alerts };
      list.push({
        webhookId: newWebhookId(uuid()),
        receiver: receiver.name,
        groupKey: g.groupKey,
        state: "pending",
        body: bodyFor(receiver, input),
        title: titleOf(d.alerts),
        alertCount: d.alerts.length,
        fingerprints: d.alerts.map((a) => a.fingerprint),
        createdAt: now,
      });
    }
    const dueAt = d.next === null ? null : d.kind === "wait" ? d.dueAt : now + timing.repeatIntervalMs;
    if (dueAt !== null) nextDueAt = Math.min(nextDueAt ?? dueAt, dueAt);
    if (d.next === null) {
      if (before.has(g.groupKey)) await deleteGroup(tx, receiver.name, g.groupKey);
    } else if (before.get(g.groupKey) !== JSON.stringify(d.next)) {
      await saveGroup(tx, receiver.name, d.next, hasNews(d.next, receiver.sendResolved, timing.repeatIntervalMs, now), now);
    }
  }
  return { list, nextDueAt };
}

/**
 * Alertmanager groups by itself: one notification per pass with every change routed here, firing
 * alerts ending a few re-send intervals ahead (Alertmanager resolves them if the dashboard goes quiet).
 */
function alertmanagerBatch(ctx: DispatchContext, receiver: AlertmanagerReceiverConfig, routed: readonly { change: Change }[], now: number, uuid: () => string): NewNotification[] {
  if (routed.length === 0) return [];
  // The latest change of each alert in this batch is what Alertmanager should hold.
  const latest = new Map<string, Change>();
  for (const { change } of routed) latest.set(change.fingerprint, change);
  const alerts = [...latest.values()];
  return [
    {
      webhookId: newWebhookId(uuid()),
      receiver: receiver.name,
      groupKey: "alertmanager",
      state: "pending",
      body: JSON.stringify(postableAlerts(alerts, ctx.externalURL, now + 4 * receiver.resendIntervalMs)),
      title: titleOf(alerts),
      alertCount: alerts.length,
      fingerprints: alerts.map((a) => a.fingerprint),
      createdAt: now,
    },
  ];
}

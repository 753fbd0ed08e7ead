import type { AlertEvent, AlertStatus } from "@/lib/alerts";
import type { Grouping } from "./route";

/**
 * Alertmanager's aggregation group, as pure state and decisions (the clock is a parameter). A group's
 * first notification goes out group_wait after the group was created; after that, a notification goes
 * out at most every group_interval and only when something changed (an alert fired that the last
 * notification did not show firing, or one resolved when resolved notifications are on), or again
 * after repeat_interval while alerts still fire. A resolved alert is sent once, then dropped; a group
 * with nothing left is deleted. This is Alertmanager's DedupStage rule, timed from the last
 * notification rather than from a free-running ticker.
 */

/** An outbox change as a group holds it: when it was decided and a one-shot expiry do not matter here. */
export type AlertChange = Omit<AlertEvent, "at" | "expiresAt">;

export interface GroupedAlert extends AlertChange {
  /** The status this alert had in the group's last notification; null if it was not in it. */
  notified: AlertStatus | null;
}

export interface GroupState {
  groupKey: string;
  /** The route that made the group (its grouping settings come from there). */
  routeKey: string;
  groupLabels: Record<string, string>;
  alerts: Record<string, GroupedAlert>;
  createdAt: number;
  lastNotifiedAt: number | null;
}

/** The group after an alert change; a new group when `group` is null. */
export function addToGroup(group: GroupState | null, key: { groupKey: string; routeKey: string; groupLabels: Record<string, string> }, change: AlertChange, now: number): GroupState {
  const g: GroupState = group ?? { groupKey: key.groupKey, routeKey: key.routeKey, groupLabels: key.groupLabels, alerts: {}, createdAt: now, lastNotifiedAt: null };
  const before = g.alerts[change.fingerprint];
  // A resolve for an alert this group never held tells the receiver nothing.
  if (!before && change.status === "resolved") return g;
  const { fingerprint, status, labels, annotations, path, source, startsAt, endsAt } = change;
  const alert: GroupedAlert = { fingerprint, status, labels, annotations, path, source, startsAt, endsAt, notified: before?.notified ?? null };
  return { ...g, alerts: { ...g.alerts, [fingerprint]: alert } };
}

/** Alertmanager's needsUpdate: would a notification now tell the receiver something new? */
export function hasNews(group: GroupState, sendResolved: boolean, repeatIntervalMs: number, now: number): boolean {
  const list = Object.values(group.alerts);
  const firing = list.filter((a) => a.status === "firing");
  const lastFiring = list.filter((a) => a.notified === "firing");
  if (group.lastNotifiedAt === null) return firing.length > 0;
  if (firing.some((a) => a.notified !== "firing")) return true;
  // Everything resolved: said even without resolved notifications, so the group can end.
  if (firing.length === 0) return lastFiring.length > 0;
  if (sendResolved && list.some((a) => a.status === "resolved" && a.notified !== "resolved")) return true;
  return now - group.lastNotifiedAt >= repeatIntervalMs;
}

export type GroupDecision =
  /** Nothing to send yet; look again at `dueAt` (null: only when an alert changes). */
  | { kind: "wait"; dueAt: number | null; next: GroupState | null }
  /** Send these alerts (resolved ones only when resolved notifications are on); store `next` (null: delete the group). */
  | { kind: "notify"; alerts: GroupedAlert[]; next: GroupState | null };

/** Drops resolved alerts the receiver will not hear about again; null when nothing is left. */
function afterFlush(group: GroupState, now: number, notified: boolean): GroupState | null {
  const alerts: Record<string, GroupedAlert> = {};
  for (const a of Object.values(group.alerts)) {
    if (a.status === "resolved") continue;
    alerts[a.fingerprint] = notified ? { ...a, notified: "firing" } : a;
  }
  if (Object.keys(alerts).length === 0) return null;
  return { ...group, alerts, lastNotifiedAt: notified ? now : group.lastNotifiedAt };
}

export function decide(group: GroupState, timing: Grouping, sendResolved: boolean, now: number): GroupDecision {
  const firstAt = group.createdAt + timing.groupWaitMs;
  if (group.lastNotifiedAt === null && now < firstAt) return { kind: "wait", dueAt: firstAt, next: group };
  const intervalAt = group.lastNotifiedAt === null ? firstAt : group.lastNotifiedAt + timing.groupIntervalMs;
  if (now < intervalAt) return { kind: "wait", dueAt: intervalAt, next: group };
  if (!hasNews(group, sendResolved, timing.repeatIntervalMs, now)) {
    // Past the interval with nothing to say: resolved alerts that do not count are let go now.
    const next = afterFlush(group, now, false);
    const dueAt = next && next.lastNotifiedAt !== null && Object.values(next.alerts).some((a) => a.status === "firing") ? next.lastNotifiedAt + timing.repeatIntervalMs : null;
    return { kind: "wait", dueAt, next };
  }
  const all = Object.values(group.alerts).sort((a, b) => a.startsAt - b.startsAt || a.fingerprint.localeCompare(b.fingerprint));
  const alerts = sendResolved ? all : all.filter((a) => a.status === "firing");
  return { kind: "notify", alerts, next: afterFlush(group, now, true) };
}

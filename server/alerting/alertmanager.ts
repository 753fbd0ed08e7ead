import { activeAlerts, type StoredAlert } from "@/server/store/alerts";
import { listMaintenanceWindows } from "@/server/store/sla";
import type { Store } from "@/server/store/store";
import { countNotification } from "./counters";
import { silencingWindow } from "./dispatcher";
import { postableAlerts } from "./payload";
import { routeAlert } from "./route";
import { postNotification, type SendResult } from "./send";
import { alertmanagerAlertsUrl, type AlertingConfig, type AlertmanagerReceiverConfig } from "./settings";

/**
 * Alertmanager forgets an alert once its endsAt passes, so, as Prometheus does, every active alert
 * routed to an Alertmanager receiver is sent again every resendIntervalMs with endsAt four intervals
 * ahead. If the dashboard dies, its alerts (the Watchdog among them) resolve by themselves. These
 * re-sends are not notifications of their own: only counted.
 */

/** Active alerts routed to this receiver and not silenced when they last changed. */
export async function alertsFor(store: Store, settings: AlertingConfig, receiver: AlertmanagerReceiverConfig, now: number): Promise<StoredAlert[]> {
  const active = (await activeAlerts(store)).filter((a) => (a.expiresAt === null || a.expiresAt > now) && routeAlert(settings.route, a.labels, a.source).some((m) => m.receiver === receiver.name));
  if (active.length === 0) return [];
  const from = Math.min(...active.map((a) => a.updatedAt));
  const windows = await listMaintenanceWindows(store, { from, to: now + 1, includeCancelled: true, limit: 10_000 });
  return active.filter((a) => silencingWindow({ at: a.updatedAt, status: "firing", source: a.source, labels: a.labels }, windows) === null);
}

export async function resendActive(
  store: Store,
  opts: { settings: AlertingConfig; externalURL: string; receiver: AlertmanagerReceiverConfig; now: number; stop?: AbortSignal },
): Promise<{ alerts: number; result: SendResult | null }> {
  const { receiver } = opts;
  const alerts = await alertsFor(store, opts.settings, receiver, opts.now);
  if (alerts.length === 0) return { alerts: 0, result: null };
  const body = JSON.stringify(postableAlerts(alerts.map((a) => ({ ...a, status: "firing" as const, endsAt: null })), opts.externalURL, opts.now + 4 * receiver.resendIntervalMs));
  const basicAuth = receiver.basicAuth ? { username: receiver.basicAuth.username, password: receiver.basicAuth.password.reveal() } : undefined;
  const result = await postNotification({ url: alertmanagerAlertsUrl(receiver.url), body, basicAuth, timeoutMs: receiver.timeoutMs, stop: opts.stop });
  if (!result.stopped) countNotification(receiver.name, result.code !== null && result.code >= 200 && result.code <= 299 ? "delivered" : "retried");
  return { alerts: alerts.length, result };
}

import type { AlertAnnotations, AlertLabels, AlertStatus } from "@/lib/alerts";

/**
 * Notification bodies, pure: Alertmanager's webhook format version 4 (what receivers written for
 * Alertmanager already parse), a Slack incoming-webhook message, and Alertmanager's API v2 postable
 * alerts. Times are RFC 3339 in UTC.
 */

export interface PayloadAlert {
  fingerprint: string;
  status: AlertStatus;
  labels: AlertLabels;
  annotations: AlertAnnotations;
  path: string;
  startsAt: number;
  endsAt: number | null;
}

/** Go's zero time, which Alertmanager's webhook shows as the end of an alert still firing. */
export const ZERO_TIME = "0001-01-01T00:00:00Z";

export const rfc3339 = (ms: number) => new Date(ms).toISOString();

/** The dashboard's address joined with an alert's path; the bare path when no address is configured. */
export function linkTo(externalURL: string, path: string): string {
  return `${externalURL.replace(/\/+$/, "")}${path}`;
}

function common<T extends Record<string, string>>(maps: readonly T[]): Record<string, string> {
  if (maps.length === 0) return {};
  const [first, ...rest] = maps;
  return Object.fromEntries(Object.entries(first!).filter(([k, v]) => rest.every((m) => m[k] === v)));
}

export interface WebhookV4Alert {
  status: AlertStatus;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

export interface WebhookV4 {
  version: "4";
  groupKey: string;
  truncatedAlerts: number;
  status: AlertStatus;
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: WebhookV4Alert[];
}

export interface NotificationInput {
  receiver: string;
  groupKey: string;
  groupLabels: Record<string, string>;
  externalURL: string;
  alerts: readonly PayloadAlert[];
}

export const groupStatus = (alerts: readonly { status: AlertStatus }[]): AlertStatus => (alerts.some((a) => a.status === "firing") ? "firing" : "resolved");

export function webhookV4(n: NotificationInput): WebhookV4 {
  return {
    version: "4",
    groupKey: n.groupKey,
    truncatedAlerts: 0,
    status: groupStatus(n.alerts),
    receiver: n.receiver,
    groupLabels: n.groupLabels,
    commonLabels: common(n.alerts.map((a) => a.labels)),
    commonAnnotations: common(n.alerts.map((a) => a.annotations)),
    externalURL: n.externalURL,
    alerts: n.alerts.map((a) => ({
      status: a.status,
      labels: a.labels,
      annotations: a.annotations,
      startsAt: rfc3339(a.startsAt),
      endsAt: a.status === "resolved" && a.endsAt !== null ? rfc3339(a.endsAt) : ZERO_TIME,
      generatorURL: linkTo(n.externalURL, a.path),
      fingerprint: a.fingerprint,
    })),
  };
}

/** "2 firing, 1 resolved: ComponentDown db-primary" */
export function titleOf(alerts: readonly PayloadAlert[]): string {
  const firing = alerts.filter((a) => a.status === "firing").length;
  const resolved = alerts.length - firing;
  const counts = [firing ? `${firing} firing` : "", resolved ? `${resolved} resolved` : ""].filter(Boolean).join(", ");
  const names = [...new Set(alerts.map((a) => [a.labels.alertname, a.labels.component ?? a.labels.kind ?? ""].filter(Boolean).join(" ")))];
  const what = names.length <= 3 ? names.join(", ") : `${names.slice(0, 3).join(", ")} and ${names.length - 3} more`;
  return `${counts || "no alerts"}: ${what}`;
}

const SLACK_COLOR = { critical: "danger", warning: "warning", info: "#439FE0" } as const;

/** A Slack incoming-webhook message: one attachment per alert, coloured by severity (green once resolved). */
export function slackMessage(n: NotificationInput) {
  const status = groupStatus(n.alerts);
  return {
    text: `[${status.toUpperCase()}] ${titleOf(n.alerts)}`,
    attachments: n.alerts.map((a) => ({
      color: a.status === "resolved" ? "good" : SLACK_COLOR[a.labels.severity],
      title: `${a.status === "resolved" ? "RESOLVED" : a.labels.severity.toUpperCase()}: ${a.annotations.summary || a.labels.alertname}`,
      title_link: linkTo(n.externalURL, a.path),
      text: a.annotations.description,
      fields: Object.entries(a.labels)
        .filter(([k]) => k !== "alertname" && k !== "severity")
        .map(([k, v]) => ({ title: k, value: v, short: true })),
      footer: `HA Control Room · started ${rfc3339(a.startsAt)}${a.status === "resolved" && a.endsAt !== null ? ` · ended ${rfc3339(a.endsAt)}` : ""}`,
    })),
  };
}

export interface PostableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
}

/**
 * Alertmanager API v2 `POST /api/v2/alerts` body. A firing alert is sent with endsAt `firingEndsAt`
 * (a few re-send intervals ahead, as Prometheus does), so Alertmanager resolves it by itself if the
 * dashboard stops re-sending; a resolved one with its real end.
 */
export function postableAlerts(alerts: readonly PayloadAlert[], externalURL: string, firingEndsAt: number): PostableAlert[] {
  return alerts.map((a) => ({
    labels: a.labels,
    annotations: a.annotations,
    startsAt: rfc3339(a.startsAt),
    endsAt: rfc3339(a.status === "resolved" && a.endsAt !== null ? a.endsAt : Math.max(firingEndsAt, a.startsAt + 1)),
    generatorURL: linkTo(externalURL, a.path),
  }));
}

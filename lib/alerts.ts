/**
 * Alerts as the server raises them and the browser shows them (no server imports here). An alert is
 * identified by its labels: the fingerprint is Alertmanager's own (FNV-1a 64 over the sorted label
 * names and values), so a fingerprint on /alerts is the one Alertmanager's API shows.
 */

export const ALERT_SEVERITIES = ["critical", "warning", "info"] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** What raised an alert. */
export const ALERT_SOURCES = ["status", "finding", "burn", "action", "self", "watchdog", "test"] as const;
export type AlertSource = (typeof ALERT_SOURCES)[number];

export const ALERT_STATUSES = ["firing", "resolved"] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** `alertname` and `severity` always; `component`, `cluster`, `node`, `kind`, `site` where known. */
export type AlertLabels = Record<string, string> & { alertname: string; severity: AlertSeverity };

export interface AlertAnnotations {
  /** One line, e.g. "db-primary is DOWN". */
  summary: string;
  /** The same plain reason the wall shows. */
  description: string;
  [k: string]: string;
}

/** An alert the dashboard wants firing now. */
export interface AlertSpec {
  labels: AlertLabels;
  annotations: AlertAnnotations;
  /** The page that explains it, as a path ("/components/db") joined to alerting.externalURL when sent. */
  path: string;
  source: AlertSource;
  /** When the condition began (a transition's backdated time), epoch ms. */
  startsAt: number;
  /** One-shot events (an action's outcome): the alert resolves by itself at this time. */
  expiresAt?: number | null;
}

/** A change of an alert: the durable outbox row every notification is built from. */
export interface AlertEvent extends AlertSpec {
  fingerprint: string;
  status: AlertStatus;
  /** When the change was decided, epoch ms. */
  at: number;
  /** Resolved: when it ended. Firing: null (or its expiry). */
  endsAt: number | null;
}

/** An alert as /alerts lists it. */
export interface AlertView {
  fingerprint: string;
  labels: AlertLabels;
  annotations: AlertAnnotations;
  path: string;
  source: AlertSource;
  startsAt: number;
  expiresAt: number | null;
  /** null while active. */
  resolvedAt: number | null;
  /** The receivers its route sends it to. */
  receivers: string[];
}

export const NOTIFICATION_STATES = ["pending", "delivered", "dead", "silenced"] as const;
export type NotificationState = (typeof NOTIFICATION_STATES)[number];

export interface DeliveryAttempt {
  at: number;
  /** HTTP status; null for a timeout or a connection error. */
  code: number | null;
  latencyMs: number;
  error: string | null;
  /** When the next attempt is due; null when this was the last. */
  retryAt: number | null;
}

/** One notification to one receiver (a group's alerts, or one alert for Alertmanager). */
export interface NotificationView {
  id: number;
  /** The Standard Webhooks `webhook-id`: the same on every re-send, so a receiver can drop duplicates. */
  webhookId: string;
  receiver: string;
  groupKey: string;
  state: NotificationState;
  alertCount: number;
  /** "2 firing, 1 resolved: ComponentDown db-primary" */
  title: string;
  createdAt: number;
  attempts: number;
  nextAttemptAt: number | null;
  deliveredAt: number | null;
  lastCode: number | null;
  lastError: string | null;
  lastLatencyMs: number | null;
  /** "silenced by maintenance #12", "dead: 400 Bad Request", "test notification by alice". */
  note: string | null;
  log: DeliveryAttempt[];
}

/** Notification results counted in `ha_notifications_total{receiver,result}`. */
export const NOTIFICATION_RESULTS = ["delivered", "retried", "dead", "silenced"] as const;
export type NotificationResult = (typeof NOTIFICATION_RESULTS)[number];

const FNV64_OFFSET = 0xcbf29ce484222325n;
const FNV64_PRIME = 0x100000001b3n;
const MASK64 = 0xffffffffffffffffn;
const SEPARATOR = 0xff;

/** Alertmanager's label-set fingerprint (prometheus/common model.LabelSet.Fingerprint), as 16 hex digits. */
export function alertFingerprint(labels: Record<string, string>): string {
  const bytes = (s: string) => new TextEncoder().encode(s);
  let h = FNV64_OFFSET;
  const add = (b: number) => {
    h ^= BigInt(b);
    h = (h * FNV64_PRIME) & MASK64;
  };
  const names = Object.keys(labels).sort();
  if (names.length === 0) return h.toString(16).padStart(16, "0");
  for (const name of names) {
    for (const b of bytes(name)) add(b);
    add(SEPARATOR);
    for (const b of bytes(labels[name]!)) add(b);
    add(SEPARATOR);
  }
  return h.toString(16).padStart(16, "0");
}

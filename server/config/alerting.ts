import { z } from "zod";
import { HttpUrl, Id, SecretRef } from "./fields";

/**
 * `alerting:` who is told what, and how. Receivers are Prometheus Alertmanager (API v2) or direct
 * webhooks (Alertmanager's webhook format or a Slack incoming-webhook body, signed as Standard
 * Webhooks says). The route tree is Alertmanager's, one level deep: the top route names the default
 * receiver and the grouping; each child route matches labels and may override the grouping.
 * Durations are milliseconds, like every other setting in this file.
 */

export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const LabelName = z.string().regex(LABEL_NAME, { error: "expected a label name such as severity or component" });

/** A URL that carries no user:password (they would be logged with it); credentials come from secret refs. */
const ReceiverUrl = HttpUrl.refine((s) => !URL.canParse(s) || (new URL(s).username === "" && new URL(s).password === ""), {
  error: "credentials are written in the URL; move them to basicAuth: { username, password: { env: VAR } }",
});

const Ms = (min: number, max: number, what: string) =>
  z
    .number({ error: `expected ${what} in milliseconds` })
    .int()
    .min(min, { error: `expected at least ${min} ms` })
    .max(max, { error: `expected at most ${max} ms` });

const BasicAuth = z.strictObject({ username: z.string().min(1), password: SecretRef });

/** Retries: 2xx delivered; 408/429/5xx and timeouts retried with backoff honouring Retry-After; other 4xx dead. */
const Delivery = {
  timeoutMs: Ms(100, 60_000, "a per-attempt timeout").default(10_000),
  /** Attempts before the notification is dead-lettered. */
  maxAttempts: z.number().int().min(1).max(50).default(8),
  /** The first retry's delay; doubled each attempt, with full jitter, up to maxBackoffMs. */
  initialBackoffMs: Ms(10, 600_000, "a delay").default(1_000),
  maxBackoffMs: Ms(100, 3_600_000, "a delay").default(300_000),
};

export const AlertmanagerReceiver = z.strictObject({
  name: Id,
  type: z.literal("alertmanager"),
  /** Alertmanager's base URL, e.g. http://127.0.0.1:9093 (alerts go to /api/v2/alerts). */
  url: ReceiverUrl,
  basicAuth: BasicAuth.optional(),
  /** Active alerts are re-sent this often, and sent with endsAt 4× this ahead, as Prometheus does. */
  resendIntervalMs: Ms(500, 600_000, "a re-send interval").default(60_000),
  ...Delivery,
});

export const WebhookReceiver = z.strictObject({
  name: Id,
  type: z.literal("webhook"),
  url: ReceiverUrl,
  /** Body: Alertmanager's webhook format version 4, or a Slack incoming-webhook message. */
  format: z.enum(["alertmanager", "slack"]).default("alertmanager"),
  /** Standard Webhooks signing secrets (whsec_…); two while rotating, each signature sent. */
  secrets: z.array(SecretRef).max(2, { error: "at most two secrets (the old and the new while rotating)" }).default([]),
  sendResolved: z.boolean().default(true),
  ...Delivery,
});

export const Receiver = z.discriminatedUnion("type", [AlertmanagerReceiver, WebhookReceiver], {
  error: "expected type: alertmanager or type: webhook",
});
export type ReceiverSettings = z.infer<typeof Receiver>;

/** Label equality; a list matches any of its values. */
export const Matchers = z.record(LabelName, z.union([z.string(), z.array(z.string()).min(1)]));

const Grouping = {
  /** Labels that split alerts into notifications; ["..."] groups by every label. */
  groupBy: z.array(z.union([LabelName, z.literal("...")])).optional(),
  /** How long a new group waits for more alerts before its first notification (Alertmanager: 30s). */
  groupWaitMs: Ms(0, 3_600_000, "a wait").optional(),
  /** How long after a notification a group with changes waits before the next (Alertmanager: 5m). */
  groupIntervalMs: Ms(0, 86_400_000, "an interval").optional(),
  /** How often a group still firing is notified again with no change (Alertmanager: 4h). */
  repeatIntervalMs: Ms(1_000, 7 * 86_400_000, "an interval").optional(),
};

export const ChildRoute = z.strictObject({
  receiver: Id,
  match: Matchers.default({}),
  /** Keep matching later routes after this one (Alertmanager's `continue`). */
  continue: z.boolean().default(false),
  ...Grouping,
});

export const TopRoute = z.strictObject({
  /** Receives every alert no child route took. */
  receiver: Id,
  ...Grouping,
  routes: z.array(ChildRoute).default([]),
});

export const DEFAULT_GROUPING = {
  groupBy: ["alertname", "cluster", "component"],
  groupWaitMs: 30_000,
  groupIntervalMs: 300_000,
  repeatIntervalMs: 4 * 3_600_000,
} as const;

export const AlertingSettings = z
  .strictObject({
    /** Links in notifications start here (the dashboard as people reach it). Default: auth.baseURL. */
    externalURL: HttpUrl.optional(),
    receivers: z.array(Receiver).min(1, { error: "list at least one receiver" }),
    route: TopRoute,
    /** The Watchdog alert (always firing while the dashboard is healthy): a dead man's switch. */
    watchdog: z.boolean().default(true),
    /**
     * A burn-rate alert fires only when each of its windows holds at least this share of known time,
     * so a fresh store, or one back from a long gap, cannot page on a blip.
     */
    burnMinKnownPercent: z.number().min(0).max(100).default(50),
    /** Action outcome alerts (executed, failed, unknown) stay firing this long, then resolve. */
    eventAlertTtlMs: Ms(1_000, 86_400_000, "a duration").default(600_000),
  })
  .superRefine((a, ctx) => {
    const names = new Set<string>();
    a.receivers.forEach((r, i) => {
      if (names.has(r.name)) ctx.addIssue({ code: "custom", message: `duplicate receiver name "${r.name}"`, path: ["receivers", i, "name"] });
      names.add(r.name);
    });
    const known = `expected one of ${[...names].join(", ")}`;
    if (!names.has(a.route.receiver)) ctx.addIssue({ code: "custom", message: `unknown receiver "${a.route.receiver}"; ${known}`, path: ["route", "receiver"] });
    a.route.routes.forEach((r, i) => {
      if (!names.has(r.receiver)) ctx.addIssue({ code: "custom", message: `unknown receiver "${r.receiver}"; ${known}`, path: ["route", "routes", i, "receiver"] });
    });
  });
export type AlertingSettings = z.infer<typeof AlertingSettings>;

/** The grouping a route uses: its own settings over the top route's over Alertmanager's defaults. */
export function groupingOf(top: z.infer<typeof TopRoute>, child?: z.infer<typeof ChildRoute>) {
  return {
    groupBy: child?.groupBy ?? top.groupBy ?? [...DEFAULT_GROUPING.groupBy],
    groupWaitMs: child?.groupWaitMs ?? top.groupWaitMs ?? DEFAULT_GROUPING.groupWaitMs,
    groupIntervalMs: child?.groupIntervalMs ?? top.groupIntervalMs ?? DEFAULT_GROUPING.groupIntervalMs,
    repeatIntervalMs: child?.repeatIntervalMs ?? top.repeatIntervalMs ?? DEFAULT_GROUPING.repeatIntervalMs,
  };
}

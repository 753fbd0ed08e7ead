/**
 * Alerting tables of the control store: the outbox of alert changes, the alerts' current state, each
 * receiver's progress through the outbox, its notification groups, and the notifications with their
 * delivery log. Re-exported by ./schema.ts. No "server-only": drizzle-kit imports it outside Next.
 */
import { sql } from "drizzle-orm";
import { bigint, bigserial, boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
// Relative on purpose: drizzle-kit loads this file without the tsconfig "@/" alias.
import { ALERT_SOURCES, ALERT_STATUSES, NOTIFICATION_STATES } from "../../lib/alerts";

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: "date", precision: 3 });
const list = (xs: readonly string[]) => sql.raw(xs.map((x) => `'${x}'`).join(", "));

/**
 * The outbox: every change of an alert, written in the same transaction as the transition, finding or
 * action change that caused it. Append-only; receivers read it in id order (receiver_cursors).
 */
export const alertEvents = pgTable(
  "alert_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: tstz("at").notNull(),
    fingerprint: text("fingerprint").notNull(),
    status: text("status").notNull(),
    source: text("source").notNull(),
    labels: jsonb("labels").notNull(),
    annotations: jsonb("annotations").notNull(),
    path: text("path").notNull(),
    startsAt: tstz("starts_at").notNull(),
    endsAt: tstz("ends_at"),
  },
  (t) => [
    check("alert_events_status_check", sql`${t.status} in (${list(ALERT_STATUSES)})`),
    check("alert_events_source_check", sql`${t.source} in (${list(ALERT_SOURCES)})`),
    index("alert_events_at_idx").on(t.at),
  ],
);

/** Each alert's latest state (one row per fingerprint); active while resolved_at is null. */
export const alerts = pgTable(
  "alerts",
  {
    fingerprint: text("fingerprint").primaryKey(),
    alertname: text("alertname").notNull(),
    severity: text("severity").notNull(),
    source: text("source").notNull(),
    labels: jsonb("labels").notNull(),
    annotations: jsonb("annotations").notNull(),
    path: text("path").notNull(),
    startsAt: tstz("starts_at").notNull(),
    expiresAt: tstz("expires_at"),
    resolvedAt: tstz("resolved_at"),
    updatedAt: tstz("updated_at").notNull(),
    lastEventId: bigint("last_event_id", { mode: "number" }).notNull(),
  },
  (t) => [index("alerts_resolved_at_idx").on(t.resolvedAt)],
);

/** How far each receiver has routed the outbox: events with a higher id are still to route. */
export const receiverCursors = pgTable("receiver_cursors", {
  receiver: text("receiver").primaryKey(),
  lastEventId: bigint("last_event_id", { mode: "number" }).notNull(),
  updatedAt: tstz("updated_at").notNull(),
});

/**
 * A receiver's notification group (Alertmanager's aggregation group): the alerts in it and when it
 * was last notified, so group_wait / group_interval / repeat_interval survive a restart.
 */
export const alertGroups = pgTable(
  "alert_groups",
  {
    receiver: text("receiver").notNull(),
    groupKey: text("group_key").notNull(),
    groupLabels: jsonb("group_labels").notNull(),
    /** fingerprint → the alert as last routed here (labels, annotations, status, startsAt, endsAt). */
    alerts: jsonb("alerts").notNull(),
    /** An alert changed since the last notification. */
    dirty: boolean("dirty").notNull(),
    /** When the group was created (group_wait counts from here). */
    createdAt: tstz("created_at").notNull(),
    lastNotifiedAt: tstz("last_notified_at"),
    updatedAt: tstz("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.receiver, t.groupKey] })],
);

/**
 * One notification to one receiver, its body frozen at creation so every re-send is byte-identical
 * (same webhook-id, same signature input). The delivery log is kept on the row.
 */
export const notifications = pgTable(
  "notifications",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    webhookId: text("webhook_id").notNull().unique(),
    receiver: text("receiver").notNull(),
    groupKey: text("group_key").notNull(),
    state: text("state").notNull(),
    body: text("body").notNull(),
    title: text("title").notNull(),
    alertCount: integer("alert_count").notNull(),
    fingerprints: text("fingerprints").array().notNull(),
    createdAt: tstz("created_at").notNull(),
    nextAttemptAt: tstz("next_attempt_at"),
    /** A worker holds the row until then (another instance may not send it meanwhile). */
    claimedUntil: tstz("claimed_until"),
    attempts: integer("attempts").notNull().default(0),
    lastCode: integer("last_code"),
    lastError: text("last_error"),
    lastLatencyMs: integer("last_latency_ms"),
    deliveredAt: tstz("delivered_at"),
    note: text("note"),
    log: jsonb("log").notNull().default(sql`'[]'::jsonb`),
  },
  (t) => [
    check("notifications_state_check", sql`${t.state} in (${list(NOTIFICATION_STATES)})`),
    index("notifications_due_idx").on(t.state, t.nextAttemptAt),
    index("notifications_receiver_idx").on(t.receiver, t.createdAt.desc()),
  ],
);

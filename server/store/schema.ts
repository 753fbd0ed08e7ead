/**
 * The control store's one PostgreSQL schema, for both backends (embedded PGlite and a real
 * PostgreSQL). `drizzle-kit generate` turns it into server/store/migrations/, applied at open.
 * No "server-only" here: drizzle-kit and tsx import this file outside Next.
 */
import { sql } from "drizzle-orm";
import {
  bigserial,
  check,
  doublePrecision,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from "drizzle-orm/pg-core";
// Relative on purpose: drizzle-kit loads this file without the tsconfig "@/" alias.
import { STATUSES } from "../../lib/status";

/** Unit and component statuses, plus the overall verdict's words (DEGRADED is in both). */
export const TRANSITION_STATUSES = [...STATUSES, "HEALTHY", "CRITICAL"] as const;
export type TransitionStatus = (typeof TRANSITION_STATUSES)[number];

const statusList = sql.raw(TRANSITION_STATUSES.map((s) => `'${s}'`).join(", "));
const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: "date", precision: 3 });

export const transitions = pgTable(
  "transitions",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: tstz("at").notNull(),
    /** A unit key ("postgres:labcluster/pg1"), "component:<id>" or "overall". */
    subject: text("subject").notNull(),
    fromStatus: text("from_status").notNull(),
    toStatus: text("to_status").notNull(),
    reason: text("reason"),
    /** The dashboard process that wrote it. */
    instanceId: text("instance_id").notNull(),
    /** When hysteresis confirmed the change; `at` is when it began (its first probe). Null for older rows. */
    confirmedAt: tstz("confirmed_at"),
  },
  (t) => [
    check("transitions_from_status_check", sql`${t.fromStatus} in (${statusList})`),
    check("transitions_to_status_check", sql`${t.toStatus} in (${statusList})`),
    // transitions({subject}) and latestTransitions() (DISTINCT ON subject ... ORDER BY at DESC).
    index("transitions_subject_at_idx").on(t.subject, t.at.desc(), t.id.desc()),
    // transitions() across all subjects, newest first.
    index("transitions_at_idx").on(t.at.desc(), t.id.desc()),
  ],
);

/** 1 s resolution, kept 26 h. The primary key is also the series index. */
export const samplesRaw = pgTable(
  "samples_raw",
  {
    subject: text("subject").notNull(),
    metric: text("metric").notNull(),
    ts: tstz("ts").notNull(),
    value: doublePrecision("value").notNull(),
  },
  (t) => [
    primaryKey({ name: "samples_raw_pk", columns: [t.subject, t.metric, t.ts] }),
    // Rollup windows and retention scan by time across all subjects.
    index("samples_raw_ts_idx").on(t.ts),
  ],
);

const rollupColumns = () => ({
  subject: text("subject").notNull(),
  metric: text("metric").notNull(),
  /** Start of the bucket; the bucket covers [bucket, bucket + resolution). */
  bucket: tstz("bucket").notNull(),
  avg: doublePrecision("avg").notNull(),
  min: doublePrecision("min").notNull(),
  max: doublePrecision("max").notNull(),
  count: integer("count").notNull(),
});

/** Minute rollups of samples_raw, kept 31 days. */
export const samples1m = pgTable("samples_1m", rollupColumns(), (t) => [
  primaryKey({ name: "samples_1m_pk", columns: [t.subject, t.metric, t.bucket] }),
  index("samples_1m_bucket_idx").on(t.bucket),
  check("samples_1m_count_check", sql`${t.count} > 0`),
]);

/** Hour rollups of samples_1m, kept 400 days. */
export const samples1h = pgTable("samples_1h", rollupColumns(), (t) => [
  primaryKey({ name: "samples_1h_pk", columns: [t.subject, t.metric, t.bucket] }),
  index("samples_1h_bucket_idx").on(t.bucket),
  check("samples_1h_count_check", sql`${t.count} > 0`),
]);

/** How far each rollup has been done: complete buckets before `done_until` are rolled. */
export const rollupState = pgTable("rollup_state", {
  name: text("name").primaryKey(),
  doneUntil: tstz("done_until").notNull(),
});

/**
 * One row per dashboard process run, its last_seen_at moved forward every few seconds. Times not
 * covered by any [started_at, last_seen_at] are monitoring gaps ("unknown"), not uptime.
 */
export const monitorHeartbeats = pgTable(
  "monitor_heartbeats",
  {
    instanceId: text("instance_id").notNull(),
    startedAt: tstz("started_at").notNull(),
    lastSeenAt: tstz("last_seen_at").notNull(),
  },
  (t) => [
    primaryKey({ name: "monitor_heartbeats_pk", columns: [t.instanceId, t.startedAt] }),
    index("monitor_heartbeats_last_seen_idx").on(t.lastSeenAt),
    check("monitor_heartbeats_order_check", sql`${t.lastSeenAt} >= ${t.startedAt}`),
  ],
);

/** Pushed events, e.g. a Sentinel "+switch-master" or a keepalived notify. */
export const events = pgTable(
  "events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: tstz("at").notNull(),
    source: text("source").notNull(),
    targetId: text("target_id").notNull(),
    type: text("type").notNull(),
    message: text("message").notNull(),
  },
  (t) => [index("events_at_idx").on(t.at.desc(), t.id.desc())],
);
export * from "./schema-sla";
export * from "./schema-auth";
export * from "./schema-actions";
export * from "./schema-alerts";
export * from "./schema-lease";

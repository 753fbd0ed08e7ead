/**
 * The control store's inputs and outputs. Every public Store method validates its input with these
 * schemas (parseInput of ../errors) and throws AppError("BAD_REQUEST") on a mismatch. Instants are a Date or epoch ms.
 */
import { z } from "zod";
import { DEFAULT_MAX_POINTS, MAX_MAX_POINTS } from "./buckets";
import { TRANSITION_STATUSES, type TransitionStatus } from "./schema";

export const Instant = z
  .union([z.date(), z.number().nonnegative()], { error: "expected a Date or epoch milliseconds" })
  .transform((v) => (typeof v === "number" ? v : v.getTime()));
export type Instant = z.input<typeof Instant>;

const Subject = z.string().min(1).max(200);
const Metric = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, { error: "metric must be snake_case" });
const Status = z.enum(TRANSITION_STATUSES);
const Limit = z.number().int().min(1).max(10_000);

/** The metrics the runtime writes first; the store accepts any snake_case name. */
export const KNOWN_METRICS = ["lag_bytes", "lag_seconds", "probe_latency_ms", "market_data_age_s"] as const;
export type KnownMetric = (typeof KNOWN_METRICS)[number];

export const TransitionInput = z.object({
  at: Instant,
  subject: Subject,
  fromStatus: Status,
  toStatus: Status,
  reason: z.string().max(2000).nullish().transform((v) => v ?? null),
  instanceId: z.string().min(1).max(100),
  /** When hysteresis confirmed it (`at` is when it began). */
  confirmedAt: Instant.nullish().transform((v) => v ?? null),
});
export type TransitionInput = z.input<typeof TransitionInput>;

/** A status change as the runtime reports it, in epoch ms; the store adds the process that wrote it. */
export interface TransitionRecord {
  at: number;
  subject: string;
  fromStatus: TransitionStatus;
  toStatus: TransitionStatus;
  reason: string | null;
  /** When hysteresis confirmed it; `at` is when it began. */
  confirmedAt?: number | null;
}

export const SampleInput = z.object({
  subject: Subject,
  metric: Metric,
  ts: Instant,
  value: z.number(),
});
export type SampleInput = z.input<typeof SampleInput>;

/** A sample of a metric the runtime writes, in epoch ms. */
export interface SampleRecord {
  ts: number;
  subject: string;
  metric: KnownMetric;
  value: number;
}

export const EventInput = z.object({
  at: Instant,
  source: z.string().min(1).max(100),
  targetId: z.string().min(1).max(200),
  type: z.string().min(1).max(100),
  message: z.string().max(4000),
});
export type EventInput = z.input<typeof EventInput>;

export const HeartbeatInput = z.object({
  instanceId: z.string().min(1).max(100),
  startedAt: Instant,
  now: Instant,
});
export type HeartbeatInput = z.input<typeof HeartbeatInput>;

/** `since` is inclusive, `until` exclusive. Newest first unless order is "asc". */
export const TransitionQuery = z.object({
  subject: Subject.optional(),
  since: Instant.optional(),
  until: Instant.optional(),
  limit: Limit,
  order: z.enum(["asc", "desc"]).default("desc"),
});
export type TransitionQuery = z.input<typeof TransitionQuery>;

/** Per subject, the last transition at or before `at` (default: the very last). */
export const LatestTransitionsQuery = z.object({ at: Instant.optional() }).default({});
export type LatestTransitionsQuery = z.input<typeof LatestTransitionsQuery>;

/** `since` is inclusive, `until` exclusive. Newest first. */
export const EventQuery = z.object({
  since: Instant.optional(),
  until: Instant.optional(),
  targetId: z.string().min(1).max(200).optional(),
  limit: Limit,
});
export type EventQuery = z.input<typeof EventQuery>;

/** Runs whose [startedAt, lastSeenAt] overlaps [since, until). */
export const MonitorRunQuery = z.object({ since: Instant.optional(), until: Instant.optional() }).default({});
export type MonitorRunQuery = z.input<typeof MonitorRunQuery>;

/** [from, to) of one subject's metric. `now` only decides whether a table's retention still covers `from`. */
export const SeriesQuery = z
  .object({
    subject: Subject,
    metric: Metric,
    from: Instant,
    to: Instant,
    maxPoints: z.number().int().min(2).max(MAX_MAX_POINTS).default(DEFAULT_MAX_POINTS),
    now: Instant,
  })
  .refine((q) => q.to > q.from, { error: "`to` must be after `from`", path: ["to"] });
export type SeriesQuery = z.input<typeof SeriesQuery>;

export const MaintainInput = Instant;

/** A stored transition; times are epoch ms. */
export interface Transition {
  id: number;
  at: number;
  subject: string;
  fromStatus: TransitionStatus;
  toStatus: TransitionStatus;
  reason: string | null;
  instanceId: string;
  /** When hysteresis confirmed it (null: written before this was recorded). */
  confirmedAt: number | null;
}

export interface StoredEvent {
  id: number;
  at: number;
  source: string;
  targetId: string;
  type: string;
  message: string;
}

export interface MonitorRun {
  instanceId: string;
  startedAt: number;
  lastSeenAt: number;
}

/** What one maintain() pass did: rows upserted per rollup, rows deleted per table, and whether it vacuumed (PGlite, hourly). */
export interface MaintainResult {
  rolled: { "1m": number; "1h": number };
  deleted: { raw: number; "1m": number; "1h": number };
  vacuumed: boolean;
}

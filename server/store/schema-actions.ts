/**
 * Guarded actions: requests with their state machine, and the append-only audit log.
 * The database enforces what matters across several dashboard processes:
 *  - one action in flight per target: a partial unique index over the in-flight states;
 *  - idempotent requests: a unique (requester, client request id);
 *  - the audit log is append-only: a trigger rejects UPDATE, DELETE and TRUNCATE
 *    (hand-written SQL in the custom migration `actions_audit_append_only`).
 * No "server-only": drizzle-kit loads this file.
 */
import { sql } from "drizzle-orm";
import { bigint, bigserial, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
// Relative on purpose: drizzle-kit loads this file without the tsconfig "@/" alias.
import { ACTION_KINDS, ACTION_STATES, AUDIT_EVENTS, IN_FLIGHT_STATES } from "../../lib/actions";

const list = (xs: readonly string[]) => sql.raw(xs.map((s) => `'${s}'`).join(", "));
const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: "date", precision: 3 });

export const actionRequests = pgTable(
  "action_requests",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    kind: text("kind").notNull(),
    /** The config id of the cluster, Sentinel group or VRRP instance. */
    targetId: text("target_id").notNull(),
    /** What the one-action-in-flight lock is taken on: "patroni:<id>", "sentinel:<id>", "vrrp:<node>+<node>". */
    lockKey: text("lock_key").notNull(),
    /** Patroni candidate or VRRP node. */
    node: text("node"),
    expectedLeader: text("expected_leader"),
    scheduledAt: tstz("scheduled_at"),
    reason: text("reason").notNull(),
    clientRequestId: text("client_request_id").notNull(),
    requesterId: text("requester_id").notNull(),
    requesterName: text("requester_name").notNull(),
    requesterRole: text("requester_role").notNull(),
    requesterIp: text("requester_ip"),
    state: text("state").notNull(),
    preflight: jsonb("preflight"),
    requestedAt: tstz("requested_at").notNull(),
    expiresAt: tstz("expires_at").notNull(),
    approverId: text("approver_id"),
    approverName: text("approver_name"),
    approvedAt: tstz("approved_at"),
    /** Who rejected or cancelled it, and why. */
    decidedById: text("decided_by_id"),
    decidedByName: text("decided_by_name"),
    decisionReason: text("decision_reason"),
    executingAt: tstz("executing_at"),
    verifyingAt: tstz("verifying_at"),
    finishedAt: tstz("finished_at"),
    outcome: text("outcome"),
    newTimeline: integer("new_timeline"),
    /** The dashboard process running it, and when it last reported: a silent owner's action is marked unknown. */
    ownerInstance: text("owner_instance"),
    updatedAt: tstz("updated_at").notNull(),
    /** Bumped on every state change; a compare-and-set guard for the few multi-step updates. */
    version: bigint("version", { mode: "number" }).notNull().default(1),
  },
  (t) => [
    check("action_requests_kind_check", sql`${t.kind} in (${list(ACTION_KINDS)})`),
    check("action_requests_state_check", sql`${t.state} in (${list(ACTION_STATES)})`),
    // Two actions on one target at a time are refused by the database itself, whichever dashboard asks.
    uniqueIndex("action_requests_one_in_flight_idx")
      .on(t.lockKey)
      .where(sql`${t.state} in (${list(IN_FLIGHT_STATES)})`),
    // A retried or double-clicked request returns the first one.
    uniqueIndex("action_requests_client_request_idx").on(t.requesterId, t.clientRequestId),
    index("action_requests_requested_at_idx").on(t.requestedAt.desc(), t.id.desc()),
    index("action_requests_target_idx").on(t.lockKey, t.finishedAt.desc()),
  ],
);

export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    /** UTC instant (timestamptz). */
    at: tstz("at").notNull().default(sql`now()`),
    actorId: text("actor_id").notNull(),
    actorName: text("actor_name").notNull(),
    actorRole: text("actor_role").notNull(),
    /** The client address the request came from; null for the dashboard's own steps. */
    actorIp: text("actor_ip"),
    event: text("event").notNull(),
    requestId: bigint("request_id", { mode: "number" }).references(() => actionRequests.id),
    kind: text("kind"),
    targetId: text("target_id"),
    reason: text("reason"),
    detail: text("detail"),
    /** The Patroni timeline the action produced (outcome rows). */
    timeline: integer("timeline"),
  },
  (t) => [
    check("audit_log_event_check", sql`${t.event} in (${list(AUDIT_EVENTS)})`),
    index("audit_log_at_idx").on(t.at.desc(), t.id.desc()),
    index("audit_log_request_idx").on(t.requestId, t.id),
  ],
);

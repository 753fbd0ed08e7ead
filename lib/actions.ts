/**
 * Guarded actions: the words and shapes shared by the store, the services, the API and the UI.
 * Client-safe: no server imports.
 */
import { z } from "zod";
// Relative on purpose: drizzle-kit loads this file (through the store schema) without the "@/" alias.
import { csvLine } from "./csv";
import { hasRole, isRole, type Actor } from "./roles";

export const ACTION_KINDS = ["patroni_switchover", "patroni_failover", "sentinel_failover", "vrrp_drain", "vrrp_undrain"] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

export const ACTION_KIND_LABEL: Record<ActionKind, string> = {
  patroni_switchover: "Patroni switchover",
  patroni_failover: "Patroni failover (no leader)",
  sentinel_failover: "Redis Sentinel failover",
  vrrp_drain: "VRRP drain (move the VIPs off a node)",
  vrrp_undrain: "VRRP undrain (give a node its priority back)",
};

/**
 * requested → approved → executing → verifying → succeeded | failed | unknown, or refused (preflight),
 * expired (no approval within the window), rejected (by an approver), cancelled (by the requester).
 */
export const ACTION_STATES = [
  "requested", "approved", "executing", "verifying", "succeeded", "failed", "unknown", "refused", "expired", "rejected", "cancelled",
] as const;
export type ActionState = (typeof ACTION_STATES)[number];

/** States that hold the target's one-action-in-flight lock (the store's partial unique index lists the same). */
export const IN_FLIGHT_STATES = ["requested", "approved", "executing", "verifying"] as const satisfies readonly ActionState[];
/** In flight past approval: a process owns it, and closing it must say whether anything was sent. */
export const STARTED_STATES = ["approved", "executing", "verifying"] as const satisfies readonly ActionState[];
export const FINAL_STATES = ["succeeded", "failed", "unknown", "refused", "expired", "rejected", "cancelled"] as const satisfies readonly ActionState[];

export const isInFlight = (s: ActionState) => (IN_FLIGHT_STATES as readonly string[]).includes(s);

/** Operators (and above) may request; approvers (and above) may approve; admins read the audit log. */
export const mayRequest = (role: string | null | undefined) => isRole(role) && hasRole(role, "operator");
export const mayApprove = (role: string | null | undefined) => isRole(role) && hasRole(role, "approver");
export const mayAudit = (role: string | null | undefined) => isRole(role) && hasRole(role, "admin");

/** What the UI may offer the signed-in actor (the server decides again on every call). */
export interface ActionRights {
  userId: string | null;
  role: string | null;
  mayRequest: boolean;
  mayApprove: boolean;
  mayAudit: boolean;
}

export function rightsOf(actor: Actor | null): ActionRights {
  if (!actor || actor.kind !== "user") return { userId: null, role: null, mayRequest: false, mayApprove: false, mayAudit: false };
  return { userId: actor.id, role: actor.role, mayRequest: mayRequest(actor.role), mayApprove: mayApprove(actor.role), mayAudit: mayAudit(actor.role) };
}

export const AUDIT_EVENTS = [
  "request", "refuse", "approve", "reject", "cancel", "expire", "execute", "verify", "outcome",
  // Admin actions (no action request): kiosk tokens and accounts; a user changing their own password.
  "kiosk_create", "kiosk_revoke", "role_change", "password_change",
  "user_create", "user_disable", "user_enable", "sessions_end", "password_reset",
  // Single sign-on: a role set from the provider's groups, an SSO or password sign-in refused, SSO sessions ended by an admin.
  "role_mapped", "sso_refused", "local_signin_refused", "oidc_sync",
  // An operator corrected an incident's failure mode (RTO scoreboard).
  "incident_class",
  // An admin sent a test notification to a receiver.
  "alert_test",
] as const;
export type AuditEvent = (typeof AUDIT_EVENTS)[number];

/** One preflight condition: ok, refused with a plain reason, or not applicable (skipped). */
export interface PreflightCheck {
  id: string;
  label: string;
  result: "ok" | "refused" | "skipped";
  detail: string;
}

export interface PreflightResult {
  ok: boolean;
  at: number;
  checks: PreflightCheck[];
  /** What the checks saw, for the record: leader, candidate, timeline, lag, sync set ... */
  facts: Record<string, string | number | boolean | null>;
}

export const refusals = (p: PreflightResult) => p.checks.filter((c) => c.result === "refused");

export const ClientRequestId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, { error: "expected a client request id (8-64 letters, digits, '-' or '_')" });

const Name = z.string().min(1).max(100);

/** What an operator asks for. `node` is the Patroni candidate or the VRRP node; Sentinel picks its own. */
export const ActionTarget = z.object({
  kind: z.enum(ACTION_KINDS),
  /** The config id of the cluster, Sentinel group or VRRP instance. */
  targetId: z.string().min(1).max(64),
  node: Name.optional(),
  /** Patroni switchover: the leader the operator saw; execution only proceeds while it still leads. */
  expectedLeader: Name.optional(),
  /** Patroni switchover only: when Patroni should do it (ISO time, in the future). */
  scheduledAt: z.iso.datetime({ offset: true }).optional(),
});
export type ActionTarget = z.infer<typeof ActionTarget>;

export const RequestInput = ActionTarget.extend({
  reason: z.string().trim().min(5, { error: "say why (at least 5 characters)" }).max(1000),
  clientRequestId: ClientRequestId,
});
export type RequestInput = z.infer<typeof RequestInput>;

/**
 * Second-person approval. The proof that the approver is who they say: their password re-entered,
 * or, for an account without a local password (single sign-on), nothing here but a sign-in within
 * the last few minutes (auth.reauthWindowMinutes), checked on the server.
 */
export const ApproveInput = z.object({
  id: z.number().int().positive(),
  password: z.string().max(1000).optional(),
  comment: z.string().trim().max(1000).optional(),
});
export type ApproveInput = z.infer<typeof ApproveInput>;

export const DecideInput = z.object({
  id: z.number().int().positive(),
  reason: z.string().trim().min(3, { error: "say why (at least 3 characters)" }).max(1000),
});
export type DecideInput = z.infer<typeof DecideInput>;

export const ListInput = z.object({
  states: z.array(z.enum(ACTION_STATES)).max(ACTION_STATES.length).optional(),
  targetId: z.string().min(1).max(64).optional(),
  limit: z.number().int().min(1).max(500).default(50),
});
export type ListInput = z.input<typeof ListInput>;

export const AuditListInput = z.object({
  requestId: z.number().int().positive().optional(),
  since: z.number().nonnegative().optional(),
  until: z.number().nonnegative().optional(),
  limit: z.number().int().min(1).max(10_000).default(200),
});
export type AuditListInput = z.input<typeof AuditListInput>;

export const PHASES = ["request", "approval", "execution", "verification"] as const;
export type Phase = (typeof PHASES)[number];

/** An action as the API returns it: names and statuses only, never a secret. */
export interface ActionView {
  id: number;
  kind: ActionKind;
  targetId: string;
  node: string | null;
  expectedLeader: string | null;
  scheduledAt: number | null;
  reason: string;
  state: ActionState;
  requester: { id: string; name: string; role: string };
  approver: { id: string; name: string } | null;
  decidedBy: { id: string; name: string; reason: string } | null;
  requestedAt: number;
  expiresAt: number;
  approvedAt: number | null;
  executingAt: number | null;
  verifyingAt: number | null;
  finishedAt: number | null;
  preflight: PreflightResult | null;
  /** What happened, in words: the component's answer, the verification, or why it was refused. */
  outcome: string | null;
  newTimeline: number | null;
  /** Milliseconds per phase, filled as phases end. */
  durations: Partial<Record<Phase, number>>;
  /** Verify timed out but the dashboard keeps watching: the outcome may still change. */
  watching: boolean;
}

export interface AuditEntry {
  id: number;
  at: number;
  actorId: string;
  actorName: string;
  actorRole: string;
  actorIp: string | null;
  event: AuditEvent;
  requestId: number | null;
  kind: ActionKind | null;
  targetId: string | null;
  /** Why: the requester's or approver's reason, or the refusal reasons. */
  reason: string | null;
  detail: string | null;
  timeline: number | null;
}

/** Durations between the recorded phase timestamps. */
export function phaseDurations(a: Pick<ActionView, "requestedAt" | "approvedAt" | "executingAt" | "verifyingAt" | "finishedAt">): Partial<Record<Phase, number>> {
  const out: Partial<Record<Phase, number>> = {};
  if (a.approvedAt !== null) out.approval = a.approvedAt - a.requestedAt;
  if (a.executingAt !== null) out.execution = (a.verifyingAt ?? a.finishedAt ?? a.executingAt) - a.executingAt;
  if (a.verifyingAt !== null && a.finishedAt !== null) out.verification = a.finishedAt - a.verifyingAt;
  return out;
}

/** The node the action is about, in words ("pg3", "the Sentinel's choice"). */
export function describeTarget(a: Pick<ActionView, "kind" | "targetId" | "node" | "expectedLeader">): string {
  switch (a.kind) {
    case "patroni_switchover":
      return `${a.targetId}: ${a.expectedLeader ?? "leader"} → ${a.node ?? "?"}`;
    case "patroni_failover":
      return `${a.targetId}: promote ${a.node ?? "?"}`;
    case "sentinel_failover":
      return `${a.targetId}: Sentinel picks the new master`;
    case "vrrp_drain":
      return `${a.targetId}: drain ${a.node ?? "?"}`;
    case "vrrp_undrain":
      return `${a.targetId}: undrain ${a.node ?? "?"}`;
  }
}

export const AUDIT_CSV_COLUMNS = ["id", "at_utc", "actor_id", "actor_name", "actor_role", "actor_ip", "event", "request_id", "kind", "target", "reason", "detail", "timeline"] as const;

export function auditCsv(rows: readonly AuditEntry[]): string {
  const lines = [AUDIT_CSV_COLUMNS.join(",")];
  for (const r of rows) {
    lines.push(csvLine([r.id, new Date(r.at).toISOString(), r.actorId, r.actorName, r.actorRole, r.actorIp, r.event, r.requestId, r.kind, r.targetId, r.reason, r.detail, r.timeline]));
  }
  return `${lines.join("\r\n")}\r\n`;
}

/**
 * Guarded actions in the control store: requests, their state changes, and the audit log. Every
 * state change and its audit row go in one transaction; a change only happens from the states the
 * caller names (compare-and-set), so two dashboards acting on one request cannot both win.
 * One action in flight per target is the database's own rule (a partial unique index).
 */
import { and, desc, eq, inArray, lt, lte, or, sql } from "drizzle-orm";
import {
  IN_FLIGHT_STATES, STARTED_STATES, phaseDurations,
  type ActionKind, type ActionState, type ActionView, type PreflightResult,
} from "../../lib/actions";
import { actionAlertChange, type ActionAlertOptions } from "../alerting/actions";
import { enqueueAlertEvents, getAlert } from "./alerts";
import { auditValues, type AuditActor, type AuditInput } from "./audit";
import type { Db } from "./db";
import { actionRequests, auditLog } from "./schema-actions";
import { storeDb, withTransaction, type Store } from "./store";

export type { ActionAlertOptions } from "../alerting/actions";

type Row = typeof actionRequests.$inferSelect;

export interface NewRequest {
  kind: ActionKind;
  targetId: string;
  lockKey: string;
  node: string | null;
  expectedLeader: string | null;
  scheduledAt: number | null;
  reason: string;
  clientRequestId: string;
  requester: AuditActor;
  preflight: PreflightResult;
  now: number;
  expiresAt: number;
  ownerInstance: string;
}

export type InsertResult =
  | { status: "created"; action: ActionView }
  /** The same requester sent the same client request id before: the first request, unchanged. */
  | { status: "duplicate"; action: ActionView }
  /** Another action holds the target: this one was recorded as refused. */
  | { status: "conflict"; action: ActionView; holder: ActionView | null };

const d = (ms: number | null | undefined) => (ms == null ? null : new Date(ms));
const t = (x: Date | null) => (x ? x.getTime() : null);

export function toActionView(r: Row, now: number): ActionView {
  const view: ActionView = {
    id: r.id,
    kind: r.kind as ActionKind,
    targetId: r.targetId,
    node: r.node,
    expectedLeader: r.expectedLeader,
    scheduledAt: t(r.scheduledAt),
    reason: r.reason,
    state: r.state as ActionState,
    requester: { id: r.requesterId, name: r.requesterName, role: r.requesterRole },
    approver: r.approverId ? { id: r.approverId, name: r.approverName ?? r.approverId } : null,
    decidedBy: r.decidedById ? { id: r.decidedById, name: r.decidedByName ?? r.decidedById, reason: r.decisionReason ?? "" } : null,
    requestedAt: r.requestedAt.getTime(),
    expiresAt: r.expiresAt.getTime(),
    approvedAt: t(r.approvedAt),
    executingAt: t(r.executingAt),
    verifyingAt: t(r.verifyingAt),
    finishedAt: t(r.finishedAt),
    preflight: (r.preflight as PreflightResult | null) ?? null,
    outcome: r.outcome,
    newTimeline: r.newTimeline,
    durations: {},
    // The watcher touches updated_at on every poll; a silent one (process gone) is not watching.
    watching: r.state === "unknown" && now - r.updatedAt.getTime() < 30_000,
  };
  view.durations = phaseDurations(view);
  return view;
}

/** The SQLSTATE and constraint of a database error, through drizzle's and the driver's wrappers. */
export function pgError(e: unknown): { code?: string; constraint?: string } {
  for (let cur: unknown = e, depth = 0; cur && typeof cur === "object" && depth < 5; depth++) {
    const c = cur as { code?: unknown; constraint?: unknown; cause?: unknown };
    if (typeof c.code === "string" && /^[0-9A-Z]{5}$/.test(c.code)) {
      return { code: c.code, constraint: typeof c.constraint === "string" ? c.constraint : undefined };
    }
    cur = c.cause;
  }
  return {};
}

async function findByClientRequest(db: Db, requesterId: string, clientRequestId: string): Promise<Row | undefined> {
  const [r] = await db
    .select()
    .from(actionRequests)
    .where(and(eq(actionRequests.requesterId, requesterId), eq(actionRequests.clientRequestId, clientRequestId)))
    .limit(1);
  return r;
}

async function inFlightRow(db: Db, lockKey: string): Promise<Row | undefined> {
  const [r] = await db
    .select()
    .from(actionRequests)
    .where(and(eq(actionRequests.lockKey, lockKey), inArray(actionRequests.state, [...IN_FLIGHT_STATES])))
    .limit(1);
  return r;
}

function requestValues(n: NewRequest, state: ActionState, outcome: string | null, clientRequestId = n.clientRequestId) {
  return {
    kind: n.kind,
    targetId: n.targetId,
    lockKey: n.lockKey,
    node: n.node,
    expectedLeader: n.expectedLeader,
    scheduledAt: d(n.scheduledAt),
    reason: n.reason,
    clientRequestId,
    requesterId: n.requester.id,
    requesterName: n.requester.name,
    requesterRole: n.requester.role,
    requesterIp: n.requester.ip,
    state,
    preflight: n.preflight,
    requestedAt: new Date(n.now),
    expiresAt: new Date(n.expiresAt),
    finishedAt: state === "refused" ? new Date(n.now) : null,
    outcome,
    ownerInstance: n.ownerInstance,
    updatedAt: new Date(n.now),
  };
}

/** The alerts an action change owes, written with `tx` (the change's transaction). */
async function enqueueActionAlerts(tx: Store, view: ActionView, at: number, alerts: ActionAlertOptions | undefined): Promise<void> {
  if (!alerts) return;
  const { fire, resolveIfActive } = actionAlertChange(view, at, alerts);
  const events = [...fire];
  for (const e of resolveIfActive) {
    const was = await getAlert(tx, e.fingerprint);
    if (was && was.resolvedAt === null) events.push({ ...e, annotations: was.annotations, startsAt: was.startsAt, endsAt: Math.max(at, was.startsAt) });
  }
  await enqueueAlertEvents(tx, events);
}

async function insertWithAudit(store: Store, values: ReturnType<typeof requestValues>, audit: AuditInput, alerts: ActionAlertOptions | undefined): Promise<Row> {
  return withTransaction(store, async (txStore) => {
    const tx = storeDb(txStore);
    const [row] = await tx.insert(actionRequests).values(values).returning();
    await tx.insert(auditLog).values(auditValues(audit, row!));
    await enqueueActionAlerts(txStore, toActionView(row!, audit.at), audit.at, alerts);
    return row!;
  });
}

/**
 * Records a request: `requested` when its preflight passed, `refused` (with the reasons) when not.
 * A second request while another holds the target is refused by the partial unique index, and that
 * refusal is recorded too.
 */
export async function insertRequest(store: Store, n: NewRequest, refusedBecause: string | null, alerts?: ActionAlertOptions): Promise<InsertResult> {
  const db = storeDb(store);
  const dup = await findByClientRequest(db, n.requester.id, n.clientRequestId);
  if (dup) return { status: "duplicate", action: toActionView(dup, n.now) };
  const state: ActionState = refusedBecause === null ? "requested" : "refused";
  const audit: AuditInput = {
    actor: n.requester,
    event: state === "requested" ? "request" : "refuse",
    at: n.now,
    reason: n.reason,
    detail: refusedBecause ?? "preflight passed",
  };
  try {
    const row = await insertWithAudit(store, requestValues(n, state, refusedBecause), audit, alerts);
    return { status: "created", action: toActionView(row, n.now) };
  } catch (e) {
    const err = pgError(e);
    if (err.code !== "23505") throw e;
    const again = await findByClientRequest(db, n.requester.id, n.clientRequestId);
    if (again) return { status: "duplicate", action: toActionView(again, n.now) };
    const holder = await inFlightRow(db, n.lockKey);
    const why = holder
      ? `another action is in flight on this target: #${holder.id} (${holder.kind}, ${holder.state}, requested by ${holder.requesterName})`
      : "another action was in flight on this target at the same moment";
    const row = await insertWithAudit(store, requestValues(n, "refused", why), { ...audit, event: "refuse", detail: why }, alerts);
    return { status: "conflict", action: toActionView(row, n.now), holder: holder ? toActionView(holder, n.now) : null };
  }
}

export async function getAction(store: Store, id: number, now: number): Promise<ActionView | null> {
  const [r] = await storeDb(store).select().from(actionRequests).where(eq(actionRequests.id, id)).limit(1);
  return r ? toActionView(r, now) : null;
}

export async function inFlightAction(store: Store, lockKey: string, now: number): Promise<ActionView | null> {
  const r = await inFlightRow(storeDb(store), lockKey);
  return r ? toActionView(r, now) : null;
}

/** The newest action on the target that reached execution (whatever its outcome), for the cooldown. */
export async function lastExecuted(store: Store, lockKey: string, now: number): Promise<ActionView | null> {
  const [r] = await storeDb(store)
    .select()
    .from(actionRequests)
    .where(and(eq(actionRequests.lockKey, lockKey), sql`${actionRequests.executingAt} is not null`))
    .orderBy(desc(actionRequests.executingAt))
    .limit(1);
  return r ? toActionView(r, now) : null;
}

export interface TransitionPatch {
  approverId?: string;
  approverName?: string;
  approvedAt?: number;
  decidedById?: string;
  decidedByName?: string;
  decisionReason?: string;
  executingAt?: number;
  verifyingAt?: number;
  finishedAt?: number;
  outcome?: string | null;
  newTimeline?: number | null;
  preflight?: PreflightResult;
  ownerInstance?: string;
}

/**
 * Moves the action to `to` if it is in one of `from`, with its audit row, in one transaction.
 * Returns the updated action, or null when it was not in `from` (someone else moved it first).
 * With `alerts`, the alerts the change raises or resolves go to the outbox in the same transaction.
 */
export async function transition(
  store: Store,
  id: number,
  from: readonly ActionState[],
  to: ActionState,
  patch: TransitionPatch,
  audit: AuditInput,
  alerts?: ActionAlertOptions,
): Promise<ActionView | null> {
  return withTransaction(store, async (txStore) => {
    const tx = storeDb(txStore);
    const [row] = await tx
      .update(actionRequests)
      .set({
        state: to,
        ...(patch.approverId !== undefined ? { approverId: patch.approverId, approverName: patch.approverName ?? patch.approverId } : {}),
        ...(patch.approvedAt !== undefined ? { approvedAt: new Date(patch.approvedAt) } : {}),
        ...(patch.decidedById !== undefined
          ? { decidedById: patch.decidedById, decidedByName: patch.decidedByName ?? patch.decidedById, decisionReason: patch.decisionReason ?? null }
          : {}),
        ...(patch.executingAt !== undefined ? { executingAt: new Date(patch.executingAt) } : {}),
        ...(patch.verifyingAt !== undefined ? { verifyingAt: new Date(patch.verifyingAt) } : {}),
        ...(patch.finishedAt !== undefined ? { finishedAt: new Date(patch.finishedAt) } : {}),
        ...(patch.outcome !== undefined ? { outcome: patch.outcome } : {}),
        ...(patch.newTimeline !== undefined ? { newTimeline: patch.newTimeline } : {}),
        ...(patch.preflight !== undefined ? { preflight: patch.preflight } : {}),
        ...(patch.ownerInstance !== undefined ? { ownerInstance: patch.ownerInstance } : {}),
        updatedAt: new Date(audit.at),
        version: sql`${actionRequests.version} + 1`,
      })
      .where(and(eq(actionRequests.id, id), inArray(actionRequests.state, [...from])))
      .returning();
    if (!row) return null;
    await tx.insert(auditLog).values(auditValues(audit, row));
    const view = toActionView(row, audit.at);
    await enqueueActionAlerts(txStore, view, audit.at, alerts);
    return view;
  });
}

/** Marks that the owner is still working on (or watching) the action. */
export async function touchAction(store: Store, id: number, now: number): Promise<void> {
  await storeDb(store).update(actionRequests).set({ updatedAt: new Date(now) }).where(eq(actionRequests.id, id));
}

/** Requests whose approval window has passed, still `requested` (optionally on one target). */
export async function overdueRequests(store: Store, now: number, lockKey?: string): Promise<ActionView[]> {
  const rows = await storeDb(store)
    .select()
    .from(actionRequests)
    .where(
      and(
        eq(actionRequests.state, "requested"),
        lte(actionRequests.expiresAt, new Date(now)),
        lockKey === undefined ? undefined : eq(actionRequests.lockKey, lockKey),
      ),
    );
  return rows.map((r) => toActionView(r, now));
}

/** In-flight actions past approval whose owner has not reported since `staleBefore` (its process died). */
export async function abandonedActions(store: Store, staleBefore: number, now: number, lockKey?: string): Promise<ActionView[]> {
  const rows = await storeDb(store)
    .select()
    .from(actionRequests)
    .where(
      and(
        inArray(actionRequests.state, [...STARTED_STATES]),
        lt(actionRequests.updatedAt, new Date(staleBefore)),
        lockKey === undefined ? undefined : eq(actionRequests.lockKey, lockKey),
      ),
    );
  return rows.map((r) => toActionView(r, now));
}

export interface ActionQuery {
  states?: readonly ActionState[];
  targetId?: string;
  limit: number;
}

export async function listActions(store: Store, q: ActionQuery, now: number): Promise<ActionView[]> {
  const rows = await storeDb(store)
    .select()
    .from(actionRequests)
    .where(
      and(
        q.states && q.states.length > 0 ? inArray(actionRequests.state, [...q.states]) : undefined,
        q.targetId === undefined ? undefined : eq(actionRequests.targetId, q.targetId),
      ),
    )
    .orderBy(desc(actionRequests.requestedAt), desc(actionRequests.id))
    .limit(q.limit);
  return rows.map((r) => toActionView(r, now));
}

/** Changes whenever a request is added or changes state (every state change bumps its version): cheap polling across dashboard processes. */
export async function actionsWatermark(store: Store): Promise<string> {
  const rows = (await storeDb(store).execute(
    sql`select count(*)::text || ':' || coalesce(sum(version), 0)::text as w from action_requests`,
  )) as unknown as { rows: { w: string }[] };
  return rows.rows[0]?.w ?? "";
}

/** Used by the actions' own tests: requests in any of these states on a lock key. */
export async function countActions(store: Store, lockKey: string, states: readonly ActionState[]): Promise<number> {
  const [r] = await storeDb(store)
    .select({ n: sql<number>`count(*)::int` })
    .from(actionRequests)
    .where(and(eq(actionRequests.lockKey, lockKey), or(...states.map((s) => eq(actionRequests.state, s)))));
  return r?.n ?? 0;
}

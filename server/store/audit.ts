/**
 * The append-only audit log: who did what to which action (or, for admin events, to what), when.
 * Rows are written beside the state change they record, in the same transaction.
 */
import { and, asc, desc, eq, gte, lt, type SQL } from "drizzle-orm";
import type { ActionKind, ActionView, AuditEntry, AuditEvent } from "../../lib/actions";
import type { Db } from "./db";
import { auditLog, type actionRequests } from "./schema-actions";
import { storeDb, type Store } from "./store";

type Row = typeof actionRequests.$inferSelect;

/** Who did something, as the audit log records it. */
export interface AuditActor {
  id: string;
  name: string;
  role: string;
  ip: string | null;
}

export interface AuditInput {
  actor: AuditActor;
  event: AuditEvent;
  at: number;
  reason?: string | null;
  detail?: string | null;
  timeline?: number | null;
  /** Only for rows without an action request (admin events): what they were about. */
  targetId?: string | null;
}

export function auditValues(a: AuditInput, action: Pick<Row, "id" | "kind" | "targetId"> | null) {
  return {
    at: new Date(a.at),
    actorId: a.actor.id,
    actorName: a.actor.name,
    actorRole: a.actor.role,
    actorIp: a.actor.ip,
    event: a.event,
    requestId: action?.id ?? null,
    kind: action?.kind ?? null,
    targetId: action?.targetId ?? a.targetId ?? null,
    reason: a.reason ?? null,
    detail: a.detail ?? null,
    timeline: a.timeline ?? null,
  };
}

/** An audit row on its own (a refused approval, a late outcome note). */
export async function appendAudit(store: Store, audit: AuditInput, action: ActionView | null): Promise<void> {
  await insertAudit(storeDb(store), audit, action);
}

/** An audit row on `db`: inside `withTransaction`, it commits or rolls back with the change it records. */
export async function insertAudit(db: Db, audit: AuditInput, action: ActionView | null = null): Promise<void> {
  await db.insert(auditLog).values(auditValues(audit, action ? { id: action.id, kind: action.kind, targetId: action.targetId } : null));
}

export interface AuditQuery {
  requestId?: number;
  since?: number;
  until?: number;
  limit: number;
  order?: "asc" | "desc";
}

export async function listAudit(store: Store, q: AuditQuery): Promise<AuditEntry[]> {
  const dir = q.order === "asc" ? asc : desc;
  const conds: (SQL | undefined)[] = [
    q.requestId === undefined ? undefined : eq(auditLog.requestId, q.requestId),
    q.since === undefined ? undefined : gte(auditLog.at, new Date(q.since)),
    q.until === undefined ? undefined : lt(auditLog.at, new Date(q.until)),
  ];
  const rows = await storeDb(store)
    .select()
    .from(auditLog)
    .where(and(...conds))
    .orderBy(dir(auditLog.at), dir(auditLog.id))
    .limit(q.limit);
  return rows.map((r) => ({
    id: r.id,
    at: r.at.getTime(),
    actorId: r.actorId,
    actorName: r.actorName,
    actorRole: r.actorRole,
    actorIp: r.actorIp,
    event: r.event as AuditEvent,
    requestId: r.requestId,
    kind: (r.kind as ActionKind | null) ?? null,
    targetId: r.targetId,
    reason: r.reason,
    detail: r.detail,
    timeline: r.timeline,
  }));
}

/**
 * The SLA service's reads and writes of the control store: transitions of several subjects over a
 * span, maintenance windows, and the guarded actions that executed over a span (the failovers). Kept beside the store so all of its SQL lives in this folder.
 */
import { and, asc, eq, gt, gte, inArray, isNotNull, isNull, lt, or, sql } from "drizzle-orm";
import { z } from "zod";
import { AppError, parseInput } from "../errors";
import { Instant, type Transition } from "./inputs";
import type { ActionKind, ActionState } from "../../lib/actions";
import { insertAudit, type AuditActor } from "./audit";
import { transitions } from "./schema";
import { actionRequests } from "./schema-actions";
import { maintenanceWindows } from "./schema-sla";
import { storeDb, withTransaction, type Store } from "./store";

/** One page of a subject list's transitions; the caller pages on (at, id). */
const PAGE = 5000;

export const SubjectTransitionsQuery = z.object({
  subjects: z.array(z.string().min(1).max(200)).min(1).max(1000),
  since: Instant,
  until: Instant,
});
export type SubjectTransitionsQuery = z.input<typeof SubjectTransitionsQuery>;

/** Every transition of the subjects with since ≤ at < until, oldest first (ties by insert order). */
export async function subjectTransitions(store: Store, input: SubjectTransitionsQuery): Promise<Transition[]> {
  const q = parseInput(SubjectTransitionsQuery, input, { what: "transitions query" });
  const db = storeDb(store);
  const out: Transition[] = [];
  let after: { at: Date; id: number } | null = null;
  for (;;) {
    const page: (typeof transitions.$inferSelect)[] = await db
      .select()
      .from(transitions)
      .where(
        and(
          inArray(transitions.subject, q.subjects),
          gte(transitions.at, new Date(q.since)),
          lt(transitions.at, new Date(q.until)),
          after === null ? undefined : or(gt(transitions.at, after.at), and(eq(transitions.at, after.at), gt(transitions.id, after.id))),
        ),
      )
      .orderBy(asc(transitions.at), asc(transitions.id))
      .limit(PAGE);
    for (const r of page) {
      out.push({ id: r.id, at: r.at.getTime(), subject: r.subject, fromStatus: r.fromStatus as Transition["fromStatus"], toStatus: r.toStatus as Transition["toStatus"], reason: r.reason, instanceId: r.instanceId, confirmedAt: r.confirmedAt ? r.confirmedAt.getTime() : null });
    }
    if (page.length < PAGE) return out;
    const last: typeof transitions.$inferSelect = page[page.length - 1]!;
    after = { at: last.at, id: last.id };
  }
}

/** A stored maintenance window; times are epoch ms. */
export interface StoredMaintenanceWindow {
  id: number;
  components: string[];
  start: number;
  /** As scheduled. */
  end: number;
  /** When it really ends: `end`, or the cancellation if that came first. */
  effectiveEnd: number;
  reason: string;
  createdAt: number;
  createdBy: string | null;
  cancelledAt: number | null;
  cancelledBy: string | null;
}

export const NewMaintenanceWindow = z
  .object({
    components: z.array(z.string().min(1).max(100)).min(1).max(100),
    start: Instant,
    end: Instant,
    reason: z.string().trim().min(1, { error: "give a reason" }).max(2000),
    createdAt: Instant,
    createdBy: z.string().min(1).max(200).nullish(),
  })
  .refine((w) => w.end > w.start, { error: "a maintenance window must end after it starts", path: ["end"] });
export type NewMaintenanceWindow = z.input<typeof NewMaintenanceWindow>;

function toWindow(r: typeof maintenanceWindows.$inferSelect): StoredMaintenanceWindow {
  const end = r.endsAt.getTime();
  const cancelledAt = r.cancelledAt?.getTime() ?? null;
  return {
    id: r.id,
    components: r.components,
    start: r.startsAt.getTime(),
    end,
    effectiveEnd: cancelledAt === null ? end : Math.min(end, cancelledAt),
    reason: r.reason,
    createdAt: r.createdAt.getTime(),
    createdBy: r.createdBy,
    cancelledAt,
    cancelledBy: r.cancelledBy,
  };
}

/**
 * Who changed a maintenance window, for its audit row. A window changes what counts against the SLA,
 * so its creation and cancellation are audited in the same transaction as the change.
 */
export type MaintenanceAuditor = AuditActor;

/**
 * The audit log's events for maintenance windows: rows without an action request, whose target is
 * `maintenance:<id>`. The existing event names, since the log's event list is fixed by a database check.
 */
export const MAINTENANCE_AUDIT = { create: "request", cancel: "cancel" } as const;

const windowTarget = (id: number) => `maintenance:${id}`;
const iso = (ms: number) => new Date(ms).toISOString();
const describeWindow = (w: StoredMaintenanceWindow) => `${w.components.join(", ")} from ${iso(w.start)} to ${iso(w.end)}`;

export async function insertMaintenanceWindow(store: Store, input: NewMaintenanceWindow, by: MaintenanceAuditor): Promise<StoredMaintenanceWindow> {
  const w = parseInput(NewMaintenanceWindow, input, { what: "maintenance window" });
  return withTransaction(store, async (txStore) => {
    const tx = storeDb(txStore);
    const [row] = await tx
      .insert(maintenanceWindows)
      .values({ components: w.components, startsAt: new Date(w.start), endsAt: new Date(w.end), reason: w.reason, createdAt: new Date(w.createdAt), createdBy: w.createdBy ?? null })
      .returning();
    const stored = toWindow(row!);
    await insertAudit(tx, {
      actor: by,
      event: MAINTENANCE_AUDIT.create,
      at: w.createdAt,
      targetId: windowTarget(stored.id),
      reason: stored.reason,
      detail: `maintenance window ${stored.id} created: ${describeWindow(stored)} (excluded from the SLA)`,
    });
    return stored;
  });
}

export const MaintenanceWindowQuery = z
  .object({
    /** Windows whose scheduled span overlaps [from, to). */
    from: Instant.optional(),
    to: Instant.optional(),
    includeCancelled: z.boolean().default(true),
    limit: z.number().int().min(1).max(10_000).default(1000),
  })
  .default({ includeCancelled: true, limit: 1000 });
export type MaintenanceWindowQuery = z.input<typeof MaintenanceWindowQuery>;

/** Oldest start first. */
export async function listMaintenanceWindows(store: Store, input: MaintenanceWindowQuery = {}): Promise<StoredMaintenanceWindow[]> {
  const q = parseInput(MaintenanceWindowQuery, input, { what: "maintenance windows query" });
  const rows = await storeDb(store)
    .select()
    .from(maintenanceWindows)
    .where(
      and(
        q.from === undefined ? undefined : gt(maintenanceWindows.endsAt, new Date(q.from)),
        q.to === undefined ? undefined : lt(maintenanceWindows.startsAt, new Date(q.to)),
        q.includeCancelled ? undefined : isNull(maintenanceWindows.cancelledAt),
      ),
    )
    .orderBy(asc(maintenanceWindows.startsAt), asc(maintenanceWindows.id))
    .limit(q.limit);
  return rows.map(toWindow);
}

export async function getMaintenanceWindow(store: Store, id: number): Promise<StoredMaintenanceWindow | null> {
  const [row] = await storeDb(store).select().from(maintenanceWindows).where(eq(maintenanceWindows.id, id));
  return row ? toWindow(row) : null;
}

/**
 * Marks a window cancelled at `at`, only if it is not cancelled yet and has not ended by then
 * (checked in the UPDATE itself, so two operators cannot both cancel). Returns null when nothing
 * matched; the caller tells why.
 */
export async function cancelMaintenanceWindow(store: Store, input: { id: number; at: Instant; by: MaintenanceAuditor }): Promise<StoredMaintenanceWindow | null> {
  const at = parseInput(Instant, input.at, { what: "cancel time" });
  if (!Number.isSafeInteger(input.id) || input.id < 1) throw new AppError("BAD_REQUEST", "invalid maintenance window id");
  return withTransaction(store, async (txStore) => {
    const tx = storeDb(txStore);
    const [row] = await tx
      .update(maintenanceWindows)
      .set({ cancelledAt: new Date(at), cancelledBy: input.by.name })
      .where(and(eq(maintenanceWindows.id, input.id), isNull(maintenanceWindows.cancelledAt), sql`${maintenanceWindows.endsAt} > ${new Date(at).toISOString()}::timestamptz`))
      .returning();
    if (!row) return null;
    const w = toWindow(row);
    const when = w.start > at ? "before it started (it never applies)" : "while active (it ends now)";
    await insertAudit(tx, {
      actor: input.by,
      event: MAINTENANCE_AUDIT.cancel,
      at,
      targetId: windowTarget(w.id),
      reason: w.reason,
      detail: `maintenance window ${w.id} cancelled ${when}: ${describeWindow(w)}`,
    });
    return w;
  });
}

// ---------------------------------------------------------------- failovers

export const ExecutedActionsQuery = z.object({ from: Instant, to: Instant, limit: z.number().int().min(1).max(100_000) });
export type ExecutedActionsQuery = z.input<typeof ExecutedActionsQuery>;

export interface ExecutedAction {
  id: number;
  kind: ActionKind;
  targetId: string;
  state: ActionState;
  executingAt: number;
  /** When the outcome was known; null while in flight. */
  finishedAt: number | null;
}

/** Guarded actions executing at some point in [from, to) (began before `to`, not finished before `from`), oldest first. */
export async function executedActions(store: Store, input: ExecutedActionsQuery): Promise<ExecutedAction[]> {
  const q = parseInput(ExecutedActionsQuery, input, { what: "executed actions query" });
  const a = actionRequests;
  const rows = await storeDb(store)
    .select({ id: a.id, kind: a.kind, targetId: a.targetId, state: a.state, executingAt: a.executingAt, finishedAt: a.finishedAt })
    .from(a)
    .where(and(isNotNull(a.executingAt), lt(a.executingAt, new Date(q.to)), or(isNull(a.finishedAt), gte(a.finishedAt, new Date(q.from)))))
    .orderBy(asc(a.executingAt), asc(a.id))
    .limit(q.limit);
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind as ActionKind,
    targetId: r.targetId,
    state: r.state as ActionState,
    executingAt: r.executingAt!.getTime(),
    finishedAt: r.finishedAt ? r.finishedAt.getTime() : null,
  }));
}

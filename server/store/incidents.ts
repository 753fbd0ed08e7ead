/**
 * Incidents for the RTO scoreboard: every transition over a span (units, components, findings: the
 * evidence of what failed), and the operators' corrections of an incident's failure mode, each
 * audited in the same transaction.
 */
import { and, asc, eq, gte, inArray, lt } from "drizzle-orm";
import { z } from "zod";
import { CorrectClassInput, FAILURE_MODES, type FailureMode } from "../../lib/rto";
import { componentSubject } from "../../lib/keys";
import { AppError, parseInput } from "../errors";
import { insertAudit, type AuditActor } from "./audit";
import { Instant, type Transition } from "./inputs";
import { transitions } from "./schema";
import { incidentClasses } from "./schema-sla";
import { storeDb, withTransaction, type Store } from "./store";
import { toTransition } from "./store-impl";

export const SpanQuery = z.object({ since: Instant, until: Instant, limit: z.number().int().min(1).max(100_000).default(50_000) });
export type SpanQuery = z.input<typeof SpanQuery>;

/** Every transition with since ≤ at < until, of every subject, oldest first (ties by insert order). */
export async function transitionsBetween(store: Store, input: SpanQuery): Promise<Transition[]> {
  const q = parseInput(SpanQuery, input, { what: "transitions query" });
  const rows = await storeDb(store)
    .select()
    .from(transitions)
    .where(and(gte(transitions.at, new Date(q.since)), lt(transitions.at, new Date(q.until))))
    .orderBy(asc(transitions.at), asc(transitions.id))
    .limit(q.limit);
  return rows.map(toTransition);
}

export interface IncidentClassCorrection {
  id: number;
  componentId: string;
  suspectedAt: number;
  mode: FailureMode;
  note: string;
  correctedAt: number;
  correctedBy: string;
}

const toCorrection = (r: typeof incidentClasses.$inferSelect): IncidentClassCorrection => ({
  id: r.id,
  componentId: r.componentId,
  suspectedAt: r.suspectedAt.getTime(),
  mode: r.mode as FailureMode,
  note: r.note,
  correctedAt: r.correctedAt.getTime(),
  correctedBy: r.correctedBy,
});

/** Corrections of incidents suspected in [since, until), oldest first: the last one per incident wins. */
export async function incidentCorrections(store: Store, input: { since: Instant; until: Instant }): Promise<IncidentClassCorrection[]> {
  const q = parseInput(z.object({ since: Instant, until: Instant }), input, { what: "incident classes query" });
  const rows = await storeDb(store)
    .select()
    .from(incidentClasses)
    .where(and(gte(incidentClasses.suspectedAt, new Date(q.since)), lt(incidentClasses.suspectedAt, new Date(q.until))))
    .orderBy(asc(incidentClasses.id));
  return rows.map(toCorrection);
}

/** The audit log's target of an incident: `incident:<component>@<ISO suspected at>`. */
export const incidentTarget = (componentId: string, suspectedAt: number) => `incident:${componentId}@${new Date(suspectedAt).toISOString()}`;

/** Statuses whose transition opens an incident (see server/sla/model/rto.ts). */
export const INCIDENT_STATUSES = ["DOWN", "DEGRADED", "STALE"] as const;

/**
 * Sets an incident's failure mode with the operator's note. The incident must exist: a stored
 * transition of the component into a failing status at exactly `suspectedAt` (NOT_FOUND otherwise).
 * `was` is what the page showed (the automatic class or an earlier correction), for the audit row.
 */
export async function correctIncidentClass(
  store: Store,
  input: CorrectClassInput & { was: FailureMode | null },
  by: AuditActor,
  at: number,
): Promise<IncidentClassCorrection> {
  const c = parseInput(CorrectClassInput, { componentId: input.componentId, suspectedAt: input.suspectedAt, mode: input.mode, note: input.note }, { root: "input" });
  const was = input.was === null || FAILURE_MODES.includes(input.was) ? input.was : null;
  return withTransaction(store, async (txStore) => {
    const tx = storeDb(txStore);
    const [opening] = await tx
      .select({ id: transitions.id })
      .from(transitions)
      .where(and(eq(transitions.subject, componentSubject(c.componentId)), eq(transitions.at, new Date(c.suspectedAt)), inArray(transitions.toStatus, [...INCIDENT_STATUSES])))
      .limit(1);
    if (!opening) throw new AppError("NOT_FOUND", `suspectedAt: no incident of ${c.componentId} was suspected at ${new Date(c.suspectedAt).toISOString()}`);
    const [row] = await tx
      .insert(incidentClasses)
      .values({ componentId: c.componentId, suspectedAt: new Date(c.suspectedAt), mode: c.mode, note: c.note, correctedAt: new Date(at), correctedBy: by.name })
      .returning();
    await insertAudit(tx, {
      actor: by,
      event: "incident_class",
      at,
      targetId: incidentTarget(c.componentId, c.suspectedAt),
      reason: c.note,
      detail: `failure mode of the ${c.componentId} incident suspected at ${new Date(c.suspectedAt).toISOString()}: ${was ?? "unclassified"} → ${c.mode}`,
    });
    return toCorrection(row!);
  });
}

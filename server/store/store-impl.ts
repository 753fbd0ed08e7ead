/**
 * The one Store implementation over a Drizzle handle (PGlite or node-postgres): input validation,
 * batched inserts and the reads. Opening and migrating live in ./store.ts.
 */
import { and, asc, desc, eq, gte, lt, lte, sql } from "drizzle-orm";
import { z } from "zod";
import { AppError, parseInput } from "../errors";
import { fillGaps, HOUR, planSeries, type SeriesPoint } from "./buckets";
import type { Db } from "./db";
import {
  EventInput,
  EventQuery,
  HeartbeatInput,
  Instant,
  LatestTransitionsQuery,
  MonitorRunQuery,
  SampleInput,
  SeriesQuery,
  TransitionInput,
  TransitionQuery,
  type MaintainResult,
  type MonitorRun,
  type StoredEvent,
  type Transition,
} from "./inputs";
import { maintainSamples, seriesBuckets } from "./samples";
import { events, monitorHeartbeats, samplesRaw, transitions } from "./schema";
import type { Store } from "./store";

/** Bind limit is 65535 parameters; inserts go in chunks well under it. */
const CHUNK_ROWS = 1000;
const MAX_BATCH_ROWS = 100_000;
const VACUUM_EVERY_MS = HOUR;

/** Inserts in chunks under the bind limit; several chunks go in one transaction, all or nothing. */
async function inChunks<T>(db: Db, xs: readonly T[], insert: (db: Db, part: T[]) => Promise<unknown>): Promise<void> {
  if (xs.length <= CHUNK_ROWS) {
    if (xs.length) await insert(db, [...xs]);
    return;
  }
  await db.transaction(async (tx) => {
    for (let i = 0; i < xs.length; i += CHUNK_ROWS) await insert(tx as unknown as Db, xs.slice(i, i + CHUNK_ROWS));
  });
}

const batch = <S extends z.ZodType>(item: S) => z.array(item).max(MAX_BATCH_ROWS);
const TransitionBatch = batch(TransitionInput);
const SampleBatch = batch(SampleInput);
const EventBatch = batch(EventInput);

/** A stored transition row as the store's callers see it (epoch ms). */
export function toTransition(r: typeof transitions.$inferSelect): Transition {
  return {
    id: r.id,
    at: r.at.getTime(),
    subject: r.subject,
    fromStatus: r.fromStatus as Transition["fromStatus"],
    toStatus: r.toStatus as Transition["toStatus"],
    reason: r.reason,
    instanceId: r.instanceId,
    confirmedAt: r.confirmedAt ? r.confirmedAt.getTime() : null,
  };
}

export const STORE_DB = Symbol.for("ha-control-room.store.db");

export class StoreImpl implements Store {
  private closed = false;
  private lastVacuumMs = Number.NEGATIVE_INFINITY;

  constructor(
    readonly backend: "pglite" | "postgres",
    readonly db: Db,
    private readonly closeClient: () => Promise<void>,
  ) {
    (this as unknown as Record<symbol, Db>)[STORE_DB] = db;
  }

  private open(): Db {
    if (this.closed) throw new AppError("UNAVAILABLE", "control store is closed");
    return this.db;
  }

  async recordTransitions(input: readonly TransitionInput[]): Promise<void> {
    const list = parseInput(TransitionBatch, input, { what: "transitions" });
    await inChunks(this.open(), list, (db, part) => db.insert(transitions).values(part.map((r) => ({ ...r, at: new Date(r.at), confirmedAt: r.confirmedAt === null ? null : new Date(r.confirmedAt) }))));
  }

  async recordSamples(input: readonly SampleInput[]): Promise<void> {
    const list = parseInput(SampleBatch, input, { what: "samples" });
    await inChunks(this.open(), list, (db, part) =>
      db
        .insert(samplesRaw)
        .values(part.map((r) => ({ ...r, ts: new Date(r.ts) })))
        .onConflictDoNothing(),
    );
  }

  async recordEvents(input: readonly EventInput[]): Promise<void> {
    const list = parseInput(EventBatch, input, { what: "events" });
    await inChunks(this.open(), list, (db, part) => db.insert(events).values(part.map((r) => ({ ...r, at: new Date(r.at) }))));
  }

  async heartbeat(instanceId: string, startedAt: Instant, now: Instant): Promise<void> {
    const h = parseInput(HeartbeatInput, { instanceId, startedAt, now }, { what: "heartbeat" });
    if (h.now < h.startedAt) throw new AppError("BAD_REQUEST", "invalid heartbeat: now is before startedAt");
    await this.open()
      .insert(monitorHeartbeats)
      .values({ instanceId: h.instanceId, startedAt: new Date(h.startedAt), lastSeenAt: new Date(h.now) })
      .onConflictDoUpdate({
        target: [monitorHeartbeats.instanceId, monitorHeartbeats.startedAt],
        set: { lastSeenAt: sql`greatest(${monitorHeartbeats.lastSeenAt}, excluded.last_seen_at)` },
      });
  }

  async transitions(input: TransitionQuery): Promise<Transition[]> {
    const q = parseInput(TransitionQuery, input, { what: "transitions query" });
    const dir = q.order === "asc" ? asc : desc;
    const list = await this.open()
      .select()
      .from(transitions)
      .where(
        and(
          q.subject === undefined ? undefined : eq(transitions.subject, q.subject),
          q.since === undefined ? undefined : gte(transitions.at, new Date(q.since)),
          q.until === undefined ? undefined : lt(transitions.at, new Date(q.until)),
        ),
      )
      .orderBy(dir(transitions.at), dir(transitions.id))
      .limit(q.limit);
    return list.map(toTransition);
  }

  async latestTransitions(input: LatestTransitionsQuery = {}): Promise<Transition[]> {
    const q = parseInput(LatestTransitionsQuery, input, { what: "latest transitions query" });
    const list = await this.open()
      .selectDistinctOn([transitions.subject])
      .from(transitions)
      .where(q.at === undefined ? undefined : lte(transitions.at, new Date(q.at)))
      .orderBy(transitions.subject, desc(transitions.at), desc(transitions.id));
    return list.map(toTransition);
  }

  async events(input: EventQuery): Promise<StoredEvent[]> {
    const q = parseInput(EventQuery, input, { what: "events query" });
    const list = await this.open()
      .select()
      .from(events)
      .where(
        and(
          q.since === undefined ? undefined : gte(events.at, new Date(q.since)),
          q.until === undefined ? undefined : lt(events.at, new Date(q.until)),
          q.targetId === undefined ? undefined : eq(events.targetId, q.targetId),
        ),
      )
      .orderBy(desc(events.at), desc(events.id))
      .limit(q.limit);
    return list.map((r) => ({ ...r, at: r.at.getTime() }));
  }

  async monitorRuns(input: MonitorRunQuery = {}): Promise<MonitorRun[]> {
    const q = parseInput(MonitorRunQuery, input, { what: "monitor runs query" });
    const list = await this.open()
      .select()
      .from(monitorHeartbeats)
      .where(
        and(
          q.since === undefined ? undefined : gte(monitorHeartbeats.lastSeenAt, new Date(q.since)),
          q.until === undefined ? undefined : lt(monitorHeartbeats.startedAt, new Date(q.until)),
        ),
      )
      .orderBy(asc(monitorHeartbeats.startedAt), asc(monitorHeartbeats.instanceId));
    return list.map((r) => ({ instanceId: r.instanceId, startedAt: r.startedAt.getTime(), lastSeenAt: r.lastSeenAt.getTime() }));
  }

  async series(input: SeriesQuery): Promise<SeriesPoint[]> {
    const q = parseInput(SeriesQuery, input, { what: "series query" });
    const plan = planSeries(q.from, q.to, q.now, q.maxPoints);
    return fillGaps(plan, await seriesBuckets(this.open(), plan, q.subject, q.metric));
  }

  async maintain(input: Instant): Promise<MaintainResult> {
    const nowMs = parseInput(Instant, input, { what: "maintain time" });
    const db = this.open();
    const result = await maintainSamples(db, nowMs);
    // PGlite runs PostgreSQL single-user: no autovacuum, so space freed by retention is never reused
    // and statistics never refresh unless we vacuum. Hourly; PostgreSQL's autovacuum does its own.
    const due = nowMs < this.lastVacuumMs || nowMs - this.lastVacuumMs >= VACUUM_EVERY_MS;
    if (this.backend === "pglite" && due) {
      await db.execute(sql`vacuum (analyze)`);
      this.lastVacuumMs = nowMs;
      result.vacuumed = true;
    }
    return result;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.closeClient();
  }
}

/**
 * The Drizzle handle behind a store, for this folder's queries and tests. Checked by a registered
 * symbol, not instanceof: Next bundles this module into several chunks (instrumentation, routes,
 * pages), each with its own StoreImpl class, while the store object is one per process.
 */
export function storeDb(store: Store): Db {
  const db = (store as unknown as Record<symbol, Db | undefined>)[STORE_DB];
  if (!db) throw new TypeError("not a control store");
  return db;
}

/**
 * Runs `fn` in one transaction of the store's database (PGlite or PostgreSQL): everything `fn` does
 * through the store it is given commits together or not at all, which is how a change and its audit
 * row are written. Inside, use only that store: on PGlite a query through the outer one waits for
 * the transaction to end, so it would never return.
 */
export async function withTransaction<T>(store: Store, fn: (tx: Store) => Promise<T>): Promise<T> {
  const db = storeDb(store);
  return db.transaction(async (tx) => fn(new StoreImpl(store.backend, tx as unknown as Db, async () => {})));
}

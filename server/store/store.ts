/**
 * The control store: one schema and one code path over embedded PGlite or a real PostgreSQL.
 * No "server-only" here so tsx (bench.ts) can import it; the app enters through ./index.ts.
 * All SQL of the project's own store lives in this folder.
 */
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { and, asc, desc, eq, gte, lt, lte, sql, type SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type { Pool } from "pg";
import { z } from "zod";
import { AppError, parseInput } from "../errors";
import { fillGaps, HOUR, planSeries, retentionCutoffs, rollupWindow, RESOLUTIONS, ROLLUP_LOOKBACK_MS, type BucketRow, type SeriesPoint } from "./buckets";
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
import { lockDataDir } from "./lock";
import { events, monitorHeartbeats, samples1h, samples1m, samplesRaw, transitions } from "./schema";

export type OpenStoreOptions = (
  | { memory: true }
  | { dataDir: string }
  | { url: string }
) & {
  /** Default: server/store/migrations under the working directory. */
  migrationsFolder?: string;
  /** PostgreSQL only: pool size (default 5). */
  poolMax?: number;
};

export interface Store {
  readonly backend: "pglite" | "postgres";
  recordTransitions(rows: readonly TransitionInput[]): Promise<void>;
  /** Duplicate (subject, metric, ts) rows are ignored: the first write wins. */
  recordSamples(rows: readonly SampleInput[]): Promise<void>;
  recordEvents(rows: readonly EventInput[]): Promise<void>;
  /** Upserts the run (instanceId, startedAt); last_seen_at only moves forward. */
  heartbeat(instanceId: string, startedAt: Instant, now: Instant): Promise<void>;
  transitions(q: TransitionQuery): Promise<Transition[]>;
  /** The last transition of every subject (at or before `at` when given), ordered by subject. */
  latestTransitions(q?: LatestTransitionsQuery): Promise<Transition[]>;
  events(q: EventQuery): Promise<StoredEvent[]>;
  /** Dashboard runs overlapping [since, until), oldest first. Time outside every run is a monitoring gap. */
  monitorRuns(q?: MonitorRunQuery): Promise<MonitorRun[]>;
  /**
   * One subject's metric over [from, to), downsampled in the database. The shape, exactly:
   * - N = planSeries(from, to, now, maxPoints).buckets points, 1 ≤ N ≤ maxPoints (2..10000, default 1000);
   * - point i is `{ t, avg, min, max }`, t = origin + i·step in epoch ms (the bucket start; origin is
   *   `from` floored to step, so t[0] ≤ from), evenly spaced, every bucket present, oldest first;
   * - step is a whole multiple of the table read: raw (1 s) for ranges ≤ 2 h, 1m for ≤ 3 days, else
   *   1h, or a coarser table when `from` is older than the finer one's retention (26 h, 31 days);
   * - avg is count-weighted, min/max are the true extremes; a bucket without data has avg, min and
   *   max all null: gaps are never interpolated nor carried forward;
   * - the not-yet-rolled tail (after a rollup table's last bucket) is read from the finer tables.
   */
  series(q: SeriesQuery): Promise<SeriesPoint[]>;
  /** Rolls complete buckets raw → 1m → 1h (recomputed, so repeating a pass changes nothing) and applies retention. */
  maintain(now: Instant): Promise<MaintainResult>;
  close(): Promise<void>;
}

type Db = PgDatabase<PgQueryResultHKT>;

/** Bind limit is 65535 parameters; inserts go in chunks well under it. */
const CHUNK_ROWS = 1000;
const MAX_BATCH_ROWS = 100_000;
/** Serialises migrations and maintenance across dashboard processes sharing one PostgreSQL. */
const MIGRATE_LOCK = 0x4841_0001;
const MAINTAIN_LOCK = 0x4841_0002;
const VACUUM_EVERY_MS = HOUR;

export function defaultMigrationsFolder(): string {
  return path.join(process.cwd(), "server", "store", "migrations");
}

export async function openStore(opts: OpenStoreOptions): Promise<Store> {
  const migrationsFolder = opts.migrationsFolder ?? defaultMigrationsFolder();
  if (!fs.existsSync(path.join(migrationsFolder, "meta", "_journal.json"))) {
    throw new AppError("UNAVAILABLE", "control store migrations not found (expected server/store/migrations)");
  }
  if ("url" in opts) return openPostgres(opts.url, migrationsFolder, opts.poolMax ?? 5);
  return openPglite("dataDir" in opts ? opts.dataDir : null, migrationsFolder);
}

async function openPglite(dataDir: string | null, migrationsFolder: string): Promise<Store> {
  const release = dataDir ? lockDataDir(dataDir) : () => {};
  let client: PGlite | undefined;
  try {
    const { PGlite } = await import("@electric-sql/pglite");
    const { drizzle } = await import("drizzle-orm/pglite");
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    if (dataDir) await fsp.mkdir(dataDir, { recursive: true });
    client = dataDir ? new PGlite(dataDir) : new PGlite();
    await client.waitReady;
    const db = drizzle(client);
    await migrate(db, { migrationsFolder });
    const pglite = client;
    return new StoreImpl("pglite", db as unknown as Db, async () => {
      try {
        await pglite.close();
      } finally {
        release();
      }
    });
  } catch (e) {
    await client?.close().catch(() => {});
    release();
    throw new AppError("UNAVAILABLE", "control store could not be opened (embedded PGlite)", { cause: e });
  }
}

async function openPostgres(url: string, migrationsFolder: string, poolMax: number): Promise<Store> {
  const { default: pg } = await import("pg");
  const { drizzle } = await import("drizzle-orm/node-postgres");
  const { migrate } = await import("drizzle-orm/node-postgres/migrator");
  const pool: Pool = new pg.Pool({
    connectionString: url,
    max: poolMax,
    connectionTimeoutMillis: 5000,
    statement_timeout: 30_000,
    application_name: "ha-control-room",
  });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on("error", () => {});
  try {
    const conn = await pool.connect();
    try {
      // Several dashboards may start at once; one migrates, the others wait and find nothing to do.
      await conn.query("select pg_advisory_lock($1)", [MIGRATE_LOCK]);
      await migrate(drizzle(conn), { migrationsFolder });
    } finally {
      await conn.query("select pg_advisory_unlock($1)", [MIGRATE_LOCK]).catch(() => {});
      conn.release();
    }
  } catch (e) {
    await pool.end().catch(() => {});
    // The raw error can quote the URL; keep it for the log only.
    throw new AppError("UNAVAILABLE", "control store could not be opened (PostgreSQL)", { cause: e });
  }
  return new StoreImpl("postgres", drizzle(pool) as unknown as Db, () => pool.end());
}

const iso = (ms: number) => new Date(ms).toISOString();
const ts = (ms: number) => sql`${iso(ms)}::timestamptz`;

async function rows<T>(db: Db, q: SQL): Promise<T[]> {
  const r = (await db.execute(q)) as unknown as { rows: T[] };
  return r.rows;
}

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

function toTransition(r: typeof transitions.$inferSelect): Transition {
  return {
    id: r.id,
    at: r.at.getTime(),
    subject: r.subject,
    fromStatus: r.fromStatus as Transition["fromStatus"],
    toStatus: r.toStatus as Transition["toStatus"],
    reason: r.reason,
    instanceId: r.instanceId,
  };
}

const STORE_DB = Symbol.for("ha-control-room.store.db");

class StoreImpl implements Store {
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
    await inChunks(this.open(), list, (db, part) => db.insert(transitions).values(part.map((r) => ({ ...r, at: new Date(r.at) }))));
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
    const s = q.subject;
    const m = q.metric;
    const from = ts(plan.originMs);
    const to = ts(plan.toMs);
    // Rollups lag behind the raw data (maintain() runs every minute and rolls complete buckets only),
    // so the part of the range after a table's last bucket is read from the next finer table.
    const cut1h = sql`(select max(bucket) + interval '1 hour' from samples_1h where subject = ${s} and metric = ${m})`;
    const cut1m = sql`(select max(bucket) + interval '1 minute' from samples_1m where subject = ${s} and metric = ${m})`;
    const parts: SQL[] = [];
    const rawFloor: SQL[] = [from];
    if (plan.resolution === "1h") {
      parts.push(sql`select bucket as t, avg, min, max, count from samples_1h
        where subject = ${s} and metric = ${m} and bucket >= ${from} and bucket < ${to}`);
    }
    if (plan.resolution !== "raw") {
      const floor1m = plan.resolution === "1h" ? sql`greatest(${from}, ${cut1h})` : from;
      parts.push(sql`select bucket as t, avg, min, max, count from samples_1m
        where subject = ${s} and metric = ${m} and bucket >= ${floor1m} and bucket < ${to}`);
      if (plan.resolution === "1h") rawFloor.push(cut1h);
      rawFloor.push(cut1m);
    }
    parts.push(sql`select ts as t, value as avg, value as min, value as max, 1 as count from samples_raw
      where subject = ${s} and metric = ${m} and ts >= greatest(${sql.join(rawFloor, sql`, `)}) and ts < ${to}`);
    const found = await rows<BucketRow>(
      this.open(),
      sql`select floor((extract(epoch from t)::float8 * 1000 - ${plan.originMs}::float8) / ${plan.stepMs}::float8)::int as i,
          (sum(avg * count) / sum(count))::float8 as avg, min(min)::float8 as min, max(max)::float8 as max
        from (${sql.join(parts, sql` union all `)}) src
        group by 1 order by 1`,
    );
    return fillGaps(plan, found);
  }

  async maintain(input: Instant): Promise<MaintainResult> {
    const nowMs = parseInput(Instant, input, { what: "maintain time" });
    const cut = retentionCutoffs(nowMs);
    const db = this.open();
    const result = await db.transaction(async (tx): Promise<MaintainResult> => {
      const t = tx as unknown as Db;
      await t.execute(sql`select pg_advisory_xact_lock(${MAINTAIN_LOCK})`);
      const rolled1m = await rollup(t, "1m", nowMs);
      const rolled1h = await rollup(t, "1h", nowMs);
      const del = async (table: string, column: string, before: number) => {
        const [r] = await rows<{ n: number }>(
          t,
          sql`with d as (delete from ${sql.identifier(table)} where ${sql.identifier(column)} < ${ts(before)} returning 1)
              select count(*)::int as n from d`,
        );
        return r?.n ?? 0;
      };
      return {
        rolled: { "1m": rolled1m, "1h": rolled1h },
        deleted: {
          raw: await del("samples_raw", "ts", cut.raw),
          "1m": await del("samples_1m", "bucket", cut["1m"]),
          "1h": await del("samples_1h", "bucket", cut["1h"]),
        },
        vacuumed: false,
      };
    });
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
 * One rollup pass into samples_1m (from raw) or samples_1h (from 1m): every complete bucket of the
 * window is recomputed from its source and upserted, replacing what was there, so repeating a pass
 * never double-counts. The watermark only moves forward.
 */
async function rollup(db: Db, target: "1m" | "1h", nowMs: number): Promise<number> {
  const stepMs = RESOLUTIONS[target].stepMs;
  const source =
    target === "1m"
      ? { table: samplesRaw, time: sql`ts`, avg: sql`avg(value)`, min: sql`min(value)`, max: sql`max(value)`, count: sql`count(*)` }
      : { table: samples1m, time: sql`bucket`, avg: sql`sum(avg * count) / sum(count)`, min: sql`min(min)`, max: sql`max(max)`, count: sql`sum(count)` };
  const into = target === "1m" ? samples1m : samples1h;
  const [state] = await rows<{ done: number | null; oldest: number | null }>(
    db,
    sql`select
      (select extract(epoch from done_until)::float8 * 1000 from rollup_state where name = ${target}) as done,
      (select extract(epoch from min(${source.time}))::float8 * 1000 from ${source.table}) as oldest`,
  );
  const win = rollupWindow({
    stepMs,
    lookbackMs: ROLLUP_LOOKBACK_MS[target],
    doneUntilMs: state?.done ?? null,
    oldestSourceMs: state?.oldest ?? null,
    nowMs,
  });
  if (!win) return 0;
  const interval = target === "1m" ? sql.raw(`interval '1 minute'`) : sql.raw(`interval '1 hour'`);
  const [r] = await rows<{ n: number }>(
    db,
    sql`with up as (
        insert into ${into} (subject, metric, bucket, avg, min, max, count)
        select subject, metric, date_bin(${interval}, ${source.time}, timestamptz '1970-01-01 00:00:00+00') as b,
               ${source.avg}, ${source.min}, ${source.max}, ${source.count}
        from ${source.table}
        where ${source.time} >= ${ts(win.fromMs)} and ${source.time} < ${ts(win.toMs)}
        group by subject, metric, b
        on conflict (subject, metric, bucket) do update
          set avg = excluded.avg, min = excluded.min, max = excluded.max, count = excluded.count
        returning 1)
      select count(*)::int as n from up`,
  );
  await db.execute(sql`insert into rollup_state (name, done_until) values (${target}, ${ts(win.toMs)})
    on conflict (name) do update set done_until = greatest(rollup_state.done_until, excluded.done_until)`);
  return r?.n ?? 0;
}

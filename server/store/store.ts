/**
 * The control store: one schema and one code path over embedded PGlite or a real PostgreSQL.
 * No "server-only" here so tsx (bench.ts) can import it; the app enters through ./index.ts.
 * All SQL of the project's own store lives in this folder.
 */
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import type { Pool } from "pg";
import { AppError } from "../errors";
import type { SeriesPoint } from "./buckets";
import type { Db } from "./db";
import type {
  EventInput,
  EventQuery,
  Instant,
  LatestTransitionsQuery,
  MaintainResult,
  MonitorRun,
  MonitorRunQuery,
  SampleInput,
  SeriesQuery,
  StoredEvent,
  Transition,
  TransitionInput,
  TransitionQuery,
} from "./inputs";
import { lockDataDir } from "./lock";
import { StoreImpl } from "./store-impl";

export { storeDb, withTransaction } from "./store-impl";

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

/** Serialises migrations across dashboard processes sharing one PostgreSQL. */
const MIGRATE_LOCK = 0x4841_0001;

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

/**
 * The sample tables' SQL: the downsampled read of one series and the maintenance pass (rollups
 * raw → 1m → 1h, then retention), both over either backend.
 */
import { sql, type SQL } from "drizzle-orm";
import { retentionCutoffs, rollupWindow, RESOLUTIONS, ROLLUP_LOOKBACK_MS, type BucketRow, type SeriesPlan } from "./buckets";
import { rows, ts, type Db } from "./db";
import type { MaintainResult } from "./inputs";
import { samples1m, samples1h, samplesRaw } from "./schema";

/** Serialises maintenance across dashboard processes sharing one PostgreSQL. */
const MAINTAIN_LOCK = 0x4841_0002;

/** The buckets of `plan` that hold data, for one subject's metric. */
export async function seriesBuckets(db: Db, plan: SeriesPlan, s: string, m: string): Promise<BucketRow[]> {
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
  return rows<BucketRow>(
    db,
    sql`select floor((extract(epoch from t)::float8 * 1000 - ${plan.originMs}::float8) / ${plan.stepMs}::float8)::int as i,
        (sum(avg * count) / sum(count))::float8 as avg, min(min)::float8 as min, max(max)::float8 as max
      from (${sql.join(parts, sql` union all `)}) src
      group by 1 order by 1`,
  );
}

/** One maintenance pass in one transaction: complete buckets rolled up, then rows past retention deleted. */
export async function maintainSamples(db: Db, nowMs: number): Promise<MaintainResult> {
  const cut = retentionCutoffs(nowMs);
  return db.transaction(async (tx): Promise<MaintainResult> => {
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

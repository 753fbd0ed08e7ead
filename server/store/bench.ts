/**
 * Control store figures on embedded PGlite:  npx tsx server/store/bench.ts [--batches 2000] [--full]
 *  1. recordSamples throughput, 50 rows per batch (the runtime's once-a-second flush), in memory
 *     and on disk (the default backend);
 *  2. a 30-day series over 30 days of 1h rollups (50 subjects in the table, one asked for);
 *  3. one steady-state maintain() pass (a minute of 50 subjects rolled, retention checked);
 *  4. with --full: the same on disk with samples_raw at its retention size (26 h × 50 rows/s,
 *     4.7 M rows; a few minutes and ~1 GB in the temp dir): inserts, maintain, hourly vacuum.
 * Imports store.ts directly: index.ts carries "server-only", which only Next resolves.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { sql } from "drizzle-orm";
import { DAY, HOUR, MINUTE, SECOND, floorTo } from "./buckets";
import { samples1h } from "./schema";
import { openStore, storeDb, type OpenStoreOptions, type Store } from "./store";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  return Number.isFinite(v) && v > 0 ? v : fallback;
};
const BATCHES = arg("batches", 2000);
const ROWS_PER_BATCH = 50;
const SUBJECTS = 50;
const NOW = floorTo(Date.now(), HOUR);

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))] ?? NaN;
const ms = (x: number) => `${x.toFixed(2)} ms`;

function batchAt(second: number) {
  const ts = NOW - 2 * HOUR + second * SECOND;
  return Array.from({ length: ROWS_PER_BATCH }, (_, i) => ({
    subject: `probe:unit-${i % SUBJECTS}`,
    metric: i % 2 ? "probe_latency_ms" : "lag_seconds",
    ts,
    value: Math.random() * 100,
  }));
}

async function benchInserts(label: string, opts: OpenStoreOptions) {
  const t0 = performance.now();
  const store = await openStore(opts);
  const openMs = performance.now() - t0;
  try {
    for (let s = 0; s < 20; s++) await store.recordSamples(batchAt(-100 + s)); // warm-up
    const lat: number[] = [];
    const start = performance.now();
    for (let s = 0; s < BATCHES; s++) {
      const b = batchAt(s);
      const t = performance.now();
      await store.recordSamples(b);
      lat.push(performance.now() - t);
    }
    const secs = (performance.now() - start) / 1000;
    const rows = BATCHES * ROWS_PER_BATCH;
    console.log(
      `recordSamples ${label}: ${rows} rows in ${BATCHES} batches of ${ROWS_PER_BATCH}: ${Math.round(rows / secs)} rows/s ` +
        `(batch p50 ${ms(pct(lat, 50))}, p99 ${ms(pct(lat, 99))}, max ${ms(Math.max(...lat))}); open+migrate ${ms(openMs)}`,
    );
  } finally {
    await store.close();
  }
}

async function benchSeries(store: Store) {
  const rows = [];
  for (let s = 0; s < SUBJECTS; s++) {
    for (let t = NOW - 30 * DAY; t < NOW; t += HOUR) {
      const avg = 10 + 5 * Math.sin(t / DAY);
      rows.push({ subject: `labcluster/pg${s}`, metric: "lag_seconds", bucket: new Date(t), avg, min: avg - 1, max: avg + 1, count: 3600 });
    }
  }
  for (let i = 0; i < rows.length; i += 1000) await storeDb(store).insert(samples1h).values(rows.slice(i, i + 1000));
  const q = { subject: "labcluster/pg2", metric: "lag_seconds", from: NOW - 30 * DAY, to: NOW, now: NOW };
  await store.series(q); // warm-up (plan cache, buffers)
  const times: number[] = [];
  let points = 0;
  for (let i = 0; i < 50; i++) {
    const t = performance.now();
    points = (await store.series(q)).length;
    times.push(performance.now() - t);
  }
  console.log(
    `series 30 days over 1h rollups (${rows.length} rows in samples_1h, ${SUBJECTS} subjects): ${points} points, ` +
      `p50 ${ms(pct(times, 50))}, p95 ${ms(pct(times, 95))} over ${times.length} runs`,
  );
}

async function benchMaintain(store: Store) {
  // 10 minutes of 1 s samples for 50 subjects, then the pass a running dashboard makes every minute.
  const base = NOW + 10 * MINUTE;
  for (let s = 0; s < 600; s++) {
    const ts = base - 10 * MINUTE + s * SECOND;
    await store.recordSamples(Array.from({ length: SUBJECTS }, (_, i) => ({ subject: `probe:unit-${i}`, metric: "probe_latency_ms", ts, value: s % 7 })));
  }
  await store.maintain(base - MINUTE); // catch up, as after a start
  const t = performance.now();
  const r = await store.maintain(base + 5 * SECOND);
  console.log(`maintain() steady state (${SUBJECTS} subjects): ${ms(performance.now() - t)}, rolled ${JSON.stringify(r.rolled)}`);
}

async function benchFull() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ha-store-bench-full-"));
  const store = await openStore({ dataDir: path.join(dir, "store") });
  try {
    const db = storeDb(store);
    const from = NOW - 26 * HOUR;
    let t = performance.now();
    // Fill an hour at a time: one statement per hour keeps PGlite's memory flat.
    for (let h = 0; h < 26; h++) {
      const a = new Date(from + h * HOUR).toISOString();
      const b = new Date(from + (h + 1) * HOUR - SECOND).toISOString();
      await db.execute(sql`insert into samples_raw (subject, metric, ts, value)
        select 'probe:unit-' || u, 'probe_latency_ms', g, random() * 100
        from generate_series(${a}::timestamptz, ${b}::timestamptz, interval '1 second') g, generate_series(0, ${SUBJECTS - 1}) u`);
    }
    const [n] = ((await db.execute(sql`select count(*)::int as n, pg_size_pretty(pg_total_relation_size('samples_raw')) as size from samples_raw`)) as unknown as {
      rows: { n: number; size: string }[];
    }).rows;
    console.log(`full: filled samples_raw with ${n?.n} rows (${n?.size}) in ${ms(performance.now() - t)}`);
    t = performance.now();
    const first = await store.maintain(NOW + 5 * SECOND);
    console.log(`full: first maintain() (roll 26 h into 1m and 1h, vacuum): ${ms(performance.now() - t)}, ${JSON.stringify(first)}`);
    const lat: number[] = [];
    const start = performance.now();
    for (let s = 0; s < BATCHES; s++) {
      const b = Array.from({ length: ROWS_PER_BATCH }, (_, i) => ({ subject: `probe:unit-${i}`, metric: "lag_seconds", ts: NOW + s * SECOND, value: s }));
      const t1 = performance.now();
      await store.recordSamples(b);
      lat.push(performance.now() - t1);
    }
    const secs = (performance.now() - start) / 1000;
    console.log(
      `full: recordSamples into a full table: ${Math.round((BATCHES * ROWS_PER_BATCH) / secs)} rows/s (batch p50 ${ms(pct(lat, 50))}, p99 ${ms(pct(lat, 99))})`,
    );
    t = performance.now();
    const steady = await store.maintain(NOW + MINUTE + 5 * SECOND);
    console.log(`full: steady maintain() (a minute expires): ${ms(performance.now() - t)}, ${JSON.stringify(steady)}`);
    t = performance.now();
    const hourly = await store.maintain(NOW + HOUR + 5 * SECOND);
    console.log(`full: maintain() an hour later (an hour expires, vacuum): ${ms(performance.now() - t)}, ${JSON.stringify(hourly)}`);
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  console.log(`node ${process.version}, ${os.cpus().length} cpus, ${os.cpus()[0]?.model ?? "?"}`);
  await benchInserts("PGlite in memory", { memory: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ha-store-bench-"));
  try {
    await benchInserts("PGlite on disk", { dataDir: path.join(dir, "store") });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const store = await openStore({ memory: true });
  try {
    await benchSeries(store);
    await benchMaintain(store);
  } finally {
    await store.close();
  }
  if (process.argv.includes("--full")) await benchFull();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});

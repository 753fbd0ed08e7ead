/**
 * The control store's behaviour, run against each backend: in-memory PGlite always (store.test.ts)
 * and a real PostgreSQL when HA_STORE_TEST_URL is set (postgres.test.ts). Real engines, no mocks.
 * One store per backend (opening costs seconds); every test starts from empty tables.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { DAY, HOUR, MINUTE, SECOND, floorTo } from "./buckets";
import { samples1h, samples1m, samplesRaw } from "./schema";
import { correctIncidentClass, incidentCorrections, incidentTarget, transitionsBetween } from "./incidents";
import { subjectTransitions } from "./sla";
import { storeDb, type Store } from "./store";

const NOW = Date.UTC(2026, 5, 15, 12, 0, 0);
const SUBJECT = "labcluster/pg2";

export function describeStoreContract(label: string, open: () => Promise<Store>): void {
  describe(label, () => {
    let store: Store;
    const exec = async <T = Record<string, unknown>>(q: ReturnType<typeof sql>) =>
      ((await storeDb(store).execute(q)) as unknown as { rows: T[] }).rows;

    beforeAll(async () => {
      store = await open();
    }, 60_000);

    afterAll(async () => {
      await store?.close();
    });

    beforeEach(async () => {
      await exec(sql`truncate transitions, samples_raw, samples_1m, samples_1h, rollup_state, monitor_heartbeats, events, maintenance_windows, incident_classes restart identity`);
    });

    type Roll = { bucket: number; avg: number; min?: number; max?: number; count?: number };
    async function putRollups(table: typeof samples1m | typeof samples1h, rows: Roll[], subject = SUBJECT, metric = "lag_seconds") {
      if (rows.length === 0) return;
      await storeDb(store)
        .insert(table)
        .values(rows.map((r) => ({ subject, metric, bucket: new Date(r.bucket), avg: r.avg, min: r.min ?? r.avg, max: r.max ?? r.avg, count: r.count ?? 1 })));
    }
    async function putRaw(rows: { ts: number; value: number }[], subject = SUBJECT, metric = "lag_seconds") {
      await store.recordSamples(rows.map((r) => ({ subject, metric, ts: r.ts, value: r.value })));
    }
    const range = (from: number, to: number, step: number) => Array.from({ length: Math.ceil((to - from) / step) }, (_, i) => from + i * step);

    describe("migrations", () => {
      it("create every table, its indexes and the status check", async () => {
        const tables = await exec<{ table_name: string }>(
          sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
        );
        expect(tables.map((t) => t.table_name)).toEqual([
          "action_requests",
          "alert_events",
          "alert_groups",
          "alerts",
          "audit_log",
          "auth_accounts",
          "auth_login_failures",
          "auth_sessions",
          "auth_settings",
          "auth_users",
          "auth_verifications",
          "events",
          "incident_classes",
          "kiosk_tokens",
          "maintenance_windows",
          "monitor_heartbeats",
          "notifications",
          "receiver_cursors",
          "rollup_state",
          "samples_1h",
          "samples_1m",
          "samples_raw",
          "transitions",
          "writer_lease",
        ]);
        const indexes = await exec<{ indexname: string }>(sql`select indexname from pg_indexes where schemaname = 'public'`);
        expect(indexes.map((i) => i.indexname)).toEqual(
          expect.arrayContaining(["transitions_subject_at_idx", "transitions_at_idx", "samples_raw_pk", "samples_raw_ts_idx", "samples_1m_pk", "samples_1h_pk", "events_at_idx"]),
        );
        const applied = await exec<{ n: number }>(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
        expect(applied[0]?.n).toBeGreaterThanOrEqual(1);
        // The database itself refuses a status outside the shared union, not only the API.
        await expect(
          exec(sql`insert into transitions (at, subject, from_status, to_status, instance_id) values (now(), 'overall', 'UP', 'MAYBE', 'x')`),
        ).rejects.toThrow();
      });
    });

    describe("transitions", () => {
      const rows = [
        { at: NOW - 3000, subject: "postgres:labcluster/pg1", fromStatus: "NO_DATA", toStatus: "UP", reason: null, instanceId: "i1" },
        { at: NOW - 2000, subject: "postgres:labcluster/pg1", fromStatus: "UP", toStatus: "DOWN", reason: "connection refused", instanceId: "i1" },
        { at: NOW - 2000, subject: "overall", fromStatus: "HEALTHY", toStatus: "CRITICAL", reason: "database unreachable", instanceId: "i1" },
        { at: NOW - 1000, subject: "component:database", fromStatus: "UP", toStatus: "DEGRADED", instanceId: "i2" },
      ] as const;

      it("round-trip with subject, since/until and order", async () => {
        await store.recordTransitions([...rows]);
        const all = await store.transitions({ limit: 100 });
        expect(all.map((t) => t.at)).toEqual([NOW - 1000, NOW - 2000, NOW - 2000, NOW - 3000]);
        expect(all[0]).toEqual({ id: 4, at: NOW - 1000, subject: "component:database", fromStatus: "UP", toStatus: "DEGRADED", reason: null, instanceId: "i2", confirmedAt: null });

        const pg1 = await store.transitions({ subject: "postgres:labcluster/pg1", limit: 10, order: "asc" });
        expect(pg1.map((t) => [t.fromStatus, t.toStatus, t.reason])).toEqual([
          ["NO_DATA", "UP", null],
          ["UP", "DOWN", "connection refused"],
        ]);
        const window = await store.transitions({ since: new Date(NOW - 2000), until: NOW - 1000, limit: 10 });
        expect(window.map((t) => t.subject).sort()).toEqual(["overall", "postgres:labcluster/pg1"]);
        expect(await store.transitions({ limit: 1 })).toHaveLength(1);
      });

      it("latestTransitions: the last one per subject, optionally as of a time", async () => {
        await store.recordTransitions([...rows]);
        const latest = await store.latestTransitions();
        expect(latest.map((t) => [t.subject, t.toStatus])).toEqual([
          ["component:database", "DEGRADED"],
          ["overall", "CRITICAL"],
          ["postgres:labcluster/pg1", "DOWN"],
        ]);
        const before = await store.latestTransitions({ at: NOW - 2500 });
        expect(before.map((t) => [t.subject, t.toStatus])).toEqual([["postgres:labcluster/pg1", "UP"]]);
      });

      it("two transitions at the same instant: the later insert is the latest", async () => {
        await store.recordTransitions([
          { at: NOW, subject: "overall", fromStatus: "HEALTHY", toStatus: "DEGRADED", instanceId: "i1" },
          { at: NOW, subject: "overall", fromStatus: "DEGRADED", toStatus: "HEALTHY", instanceId: "i1" },
        ]);
        expect((await store.latestTransitions())[0]?.toStatus).toBe("HEALTHY");
      });

      it("keeps when hysteresis confirmed a change beside when it began (confirmed_at), in every reader", async () => {
        await store.recordTransitions([
          { at: NOW - 2400, confirmedAt: NOW, subject: "component:trading-engine", fromStatus: "UP", toStatus: "DOWN", reason: "none serving", instanceId: "i1" },
          { at: NOW + 500, confirmedAt: null, subject: "component:trading-engine", fromStatus: "DOWN", toStatus: "UP", instanceId: "i1" },
        ]);
        const [down, up] = await store.transitions({ subject: "component:trading-engine", limit: 10, order: "asc" });
        expect(down).toMatchObject({ at: NOW - 2400, confirmedAt: NOW });
        expect(up).toMatchObject({ at: NOW + 500, confirmedAt: null });
        expect((await store.latestTransitions({ at: NOW }))[0]).toMatchObject({ toStatus: "DOWN", confirmedAt: NOW });
        expect((await transitionsBetween(store, { since: NOW - 3000, until: NOW + 1000 })).map((t) => t.confirmedAt)).toEqual([NOW, null]);
        expect((await subjectTransitions(store, { subjects: ["component:trading-engine"], since: 0, until: NOW + 1000 }))[0]?.confirmedAt).toBe(NOW);
      });

      it("refuses a status outside the shared union with BAD_REQUEST", async () => {
        const bad = { at: NOW, subject: "overall", fromStatus: "UP", toStatus: "OK", instanceId: "i1" };
        await expect(store.recordTransitions([bad as never])).rejects.toMatchObject({ name: "AppError", code: "BAD_REQUEST" });
        expect(await store.transitions({ limit: 10 })).toEqual([]);
      });
    });

    describe("incident classes", () => {
      const by = { id: "u-op", name: "olga", role: "operator", ip: "127.0.0.1" };
      const open = { at: NOW - 60_000, confirmedAt: NOW - 58_000, subject: "component:trading-engine", fromStatus: "UP", toStatus: "DEGRADED", reason: "te1 refused", instanceId: "i1" } as const;
      const auditOf = (suspectedAt: number) => exec<{ event: string; reason: string; detail: string; actor_name: string }>(sql`select event, reason, detail, actor_name from audit_log where target_id = ${incidentTarget("trading-engine", suspectedAt)} order by id`);

      it("a correction and its audit row are written together; the last correction per incident is listed last", async () => {
        const suspectedAt = NOW - 60_000 - Math.floor(Math.random() * 1000);
        await store.recordTransitions([{ ...open, at: suspectedAt }]);
        await correctIncidentClass(store, { componentId: "trading-engine", suspectedAt, mode: "server-hardware", note: "the host lost power", was: "software-crash" }, by, NOW);
        await correctIncidentClass(store, { componentId: "trading-engine", suspectedAt, mode: "network-partition", note: "it was the switch after all", was: "server-hardware" }, by, NOW + 1000);
        const list = await incidentCorrections(store, { since: suspectedAt, until: suspectedAt + 1 });
        expect(list.map((c) => [c.mode, c.note, c.correctedBy, c.correctedAt])).toEqual([
          ["server-hardware", "the host lost power", "olga", NOW],
          ["network-partition", "it was the switch after all", "olga", NOW + 1000],
        ]);
        const audit = await auditOf(suspectedAt);
        expect(audit.map((a) => [a.event, a.reason, a.actor_name])).toEqual([
          ["incident_class", "the host lost power", "olga"],
          ["incident_class", "it was the switch after all", "olga"],
        ]);
        expect(audit[1]!.detail).toContain("server-hardware → network-partition");
      });

      it("no incident suspected at that instant: NOT_FOUND naming suspectedAt, and neither a row nor an audit entry", async () => {
        const suspectedAt = NOW - 30_000 - Math.floor(Math.random() * 1000);
        await store.recordTransitions([{ ...open, at: suspectedAt, toStatus: "UP" }]);
        await expect(correctIncidentClass(store, { componentId: "trading-engine", suspectedAt, mode: "database", note: "a recovery is no incident", was: null }, by, NOW)).rejects.toMatchObject({ code: "NOT_FOUND", message: expect.stringContaining("suspectedAt") });
        expect(await incidentCorrections(store, { since: 0, until: NOW })).toEqual([]);
        expect(await auditOf(suspectedAt)).toEqual([]);
      });

      it("a bad mode or an empty note is BAD_REQUEST naming the field; the database refuses an unknown mode too", async () => {
        await expect(correctIncidentClass(store, { componentId: "trading-engine", suspectedAt: NOW, mode: "gremlins" as never, note: "because", was: null }, by, NOW)).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("mode") });
        await expect(correctIncidentClass(store, { componentId: "trading-engine", suspectedAt: NOW, mode: "database", note: " ", was: null }, by, NOW)).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("note") });
        await expect(
          exec(sql`insert into incident_classes (component_id, suspected_at, mode, note, corrected_at, corrected_by) values ('x', now(), 'gremlins', 'n', now(), 'me')`),
        ).rejects.toThrow();
      });
    });

    describe("samples", () => {
      it("a batch of 50 rows is stored; a duplicate (subject, metric, ts) is ignored", async () => {
        const batch = Array.from({ length: 50 }, (_, i) => ({ subject: `probe:${i}`, metric: "probe_latency_ms", ts: NOW, value: i }));
        await store.recordSamples(batch);
        await store.recordSamples([{ subject: "probe:0", metric: "probe_latency_ms", ts: NOW, value: 999 }]);
        const [r] = await exec<{ n: number; v: number }>(
          sql`select count(*)::int as n, (select value from samples_raw where subject = 'probe:0') as v from samples_raw`,
        );
        expect(r).toEqual({ n: 50, v: 0 });
      });

      it("a batch larger than one insert goes in whole (chunked, one transaction)", async () => {
        await putRaw(range(NOW - 2500 * SECOND, NOW, SECOND).map((ts) => ({ ts, value: 1 })));
        const [r] = await exec<{ n: number }>(sql`select count(*)::int as n from samples_raw`);
        expect(r?.n).toBe(2500);
      });

      it("refuses non-finite values and bad metric names", async () => {
        await expect(store.recordSamples([{ subject: SUBJECT, metric: "lag_seconds", ts: NOW, value: Number.NaN }])).rejects.toBeInstanceOf(AppError);
        await expect(store.recordSamples([{ subject: SUBJECT, metric: "Lag Seconds", ts: NOW, value: 1 }])).rejects.toMatchObject({ code: "BAD_REQUEST" });
      });
    });

    describe("series", () => {
      /** The same span in every table with a different value, so the answer shows which table served it. */
      async function fixtureInEveryTable() {
        await putRaw(range(NOW - 2 * HOUR, NOW, SECOND).map((ts) => ({ ts, value: 1 })));
        await putRollups(samples1m, range(NOW - 3 * DAY, NOW, MINUTE).map((bucket) => ({ bucket, avg: 2, count: 60 })));
        await putRollups(samples1h, range(NOW - 30 * DAY, NOW, HOUR).map((bucket) => ({ bucket, avg: 3, count: 3600 })));
      }

      it("≤ 2 h reads raw, ≤ 3 days reads 1m, longer reads 1h; never more than maxPoints", async () => {
        await fixtureInEveryTable();
        const q = { subject: SUBJECT, metric: "lag_seconds", to: NOW, now: NOW };
        const raw = await store.series({ ...q, from: NOW - 2 * HOUR });
        expect(raw.length).toBeLessThanOrEqual(1000);
        expect(raw.length).toBe(900); // 8 s buckets
        expect(new Set(raw.map((p) => p.avg))).toEqual(new Set([1]));

        const minute = await store.series({ ...q, from: NOW - 3 * DAY, maxPoints: 500 });
        expect(minute.length).toBeLessThanOrEqual(500);
        expect(new Set(minute.map((p) => p.avg))).toEqual(new Set([2]));

        const hour = await store.series({ ...q, from: NOW - 30 * DAY });
        expect(hour).toHaveLength(720);
        expect(new Set(hour.map((p) => p.avg))).toEqual(new Set([3]));
        expect(hour[0]?.t).toBe(NOW - 30 * DAY);
        expect(hour.at(-1)?.t).toBe(NOW - HOUR);
      });

      it("a short range older than raw retention is read from 1m", async () => {
        await putRollups(samples1m, range(NOW - 2 * DAY, NOW - 2 * DAY + HOUR, MINUTE).map((bucket) => ({ bucket, avg: 2 })));
        const pts = await store.series({ subject: SUBJECT, metric: "lag_seconds", from: NOW - 2 * DAY, to: NOW - 2 * DAY + HOUR, now: NOW });
        expect(pts).toHaveLength(60);
        expect(pts.every((p) => p.avg === 2)).toBe(true);
      });

      it("gaps come back as null buckets, never interpolated", async () => {
        const from = NOW - 10 * MINUTE;
        // Data in minutes 0-2 and 6-9 of the range: minutes 3, 4 and 5 are a gap.
        const ts = range(from, NOW, SECOND).filter((t) => t < from + 3 * MINUTE || t >= from + 6 * MINUTE);
        await putRaw(ts.map((t) => ({ ts: t, value: 10 })));
        const pts = await store.series({ subject: SUBJECT, metric: "lag_seconds", from, to: NOW, now: NOW, maxPoints: 10 });
        expect(pts.map((p) => p.t)).toEqual(range(from, NOW, MINUTE));
        expect(pts.map((p) => p.avg)).toEqual([10, 10, 10, null, null, null, 10, 10, 10, 10]);
        expect(pts[4]).toEqual({ t: from + 4 * MINUTE, avg: null, min: null, max: null });
        // A subject with no data at all is all gap.
        const none = await store.series({ subject: "nobody", metric: "lag_seconds", from, to: NOW, now: NOW, maxPoints: 10 });
        expect(none.every((p) => p.avg === null && p.min === null && p.max === null)).toBe(true);
      });

      it("downsamples with count-weighted averages and true min/max", async () => {
        const end = floorTo(NOW, 2 * DAY); // 2-day buckets are aligned to the epoch
        await putRollups(samples1h, [
          { bucket: end - 4 * HOUR, avg: 10, min: 5, max: 20, count: 1 },
          { bucket: end - 3 * HOUR, avg: 1, min: 0, max: 2, count: 3 },
        ]);
        const pts = await store.series({ subject: SUBJECT, metric: "lag_seconds", from: end - 4 * DAY, to: end, now: NOW, maxPoints: 2 });
        expect(pts).toEqual([
          { t: end - 4 * DAY, avg: null, min: null, max: null },
          { t: end - 2 * DAY, avg: (10 + 3) / 4, min: 0, max: 20 },
        ]);
      });

      it("the part after the last rollup is read from the finer tables", async () => {
        // 1h rolled up to NOW-2h, 1m up to NOW-10min, raw after that (maintain has not caught up yet).
        await putRollups(samples1h, range(NOW - 5 * DAY, NOW - 2 * HOUR, HOUR).map((bucket) => ({ bucket, avg: 3, count: 3600 })));
        await putRollups(samples1m, range(NOW - 3 * HOUR, NOW - 10 * MINUTE, MINUTE).map((bucket) => ({ bucket, avg: 2, count: 60 })));
        await putRaw(range(NOW - 10 * MINUTE, NOW, SECOND).map((ts) => ({ ts, value: 1 })));
        const pts = await store.series({ subject: SUBJECT, metric: "lag_seconds", from: NOW - 5 * DAY, to: NOW, now: NOW });
        expect(pts).toHaveLength(120);
        expect(pts.slice(0, 118).every((p) => p.avg === 3)).toBe(true);
        expect(pts[118]?.avg).toBe(2);
        // Last hour: 50 minutes of 1m rows (count 60, avg 2) and 600 raw samples of 1.
        expect(pts[119]?.avg).toBeCloseTo((50 * 60 * 2 + 600 * 1) / (50 * 60 + 600), 9);
        expect(pts[119]?.min).toBe(1);
      });

      it("30 days over 1h rollups come back within maxPoints", async () => {
        await putRollups(samples1h, range(NOW - 30 * DAY, NOW, HOUR).map((bucket, i) => ({ bucket, avg: i % 24, count: 3600 })));
        for (const maxPoints of [1000, 240, 100]) {
          const pts = await store.series({ subject: SUBJECT, metric: "lag_seconds", from: NOW - 30 * DAY, to: NOW, now: NOW, maxPoints });
          expect(pts.length).toBeLessThanOrEqual(maxPoints);
          expect(pts.every((p) => p.avg !== null)).toBe(true);
        }
      });

      it("refuses an empty range and a bad maxPoints", async () => {
        await expect(store.series({ subject: SUBJECT, metric: "lag_seconds", from: NOW, to: NOW, now: NOW })).rejects.toMatchObject({ code: "BAD_REQUEST" });
        await expect(store.series({ subject: SUBJECT, metric: "lag_seconds", from: 0, to: NOW, now: NOW, maxPoints: 1_000_000 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
      });
    });

    describe("maintain", () => {
      const rollups = async (table: string) =>
        exec<{ subject: string; bucket: number; avg: number; min: number; max: number; count: number }>(
          sql`select subject, extract(epoch from bucket)::float8 * 1000 as bucket, avg, min, max, count from ${sql.identifier(table)} order by subject, bucket`,
        );

      it("rolls complete buckets raw → 1m → 1h and a second pass changes nothing", async () => {
        // Two hours and a half of 1 s samples; value = second of the minute (avg 29.5, min 0, max 59).
        const from = NOW - 2 * HOUR - 30 * MINUTE;
        await putRaw(range(from, NOW + 30 * SECOND, SECOND).map((ts) => ({ ts, value: (ts / SECOND) % 60 })));
        const first = await store.maintain(NOW + 30 * SECOND);
        expect(first.rolled["1m"]).toBe(150); // NOW's own minute is not complete yet
        const m1 = await rollups("samples_1m");
        expect(m1).toHaveLength(150);
        expect(m1[0]).toEqual({ subject: SUBJECT, bucket: from, avg: 29.5, min: 0, max: 59, count: 60 });
        const h1 = await rollups("samples_1h");
        expect(h1.map((r) => r.bucket)).toEqual([NOW - 3 * HOUR, NOW - 2 * HOUR, NOW - HOUR]);
        expect(h1[0]).toMatchObject({ avg: 29.5, min: 0, max: 59, count: 30 * 60 });
        expect(h1[1]).toMatchObject({ count: 3600 });

        const again = await store.maintain(NOW + 30 * SECOND);
        expect(again.rolled["1m"]).toBe(5); // the lookback is recomputed, replacing, not adding
        expect(await rollups("samples_1m")).toEqual(m1);
        expect(await rollups("samples_1h")).toEqual(h1);
      });

      it("a late sample inside the lookback is counted once on the next pass", async () => {
        await putRaw(range(NOW - 10 * MINUTE, NOW, SECOND).filter((ts) => ts !== NOW - 30 * SECOND).map((ts) => ({ ts, value: 1 })));
        await store.maintain(NOW);
        await putRaw([{ ts: NOW - 30 * SECOND, value: 61 }]);
        await store.maintain(NOW + 5 * SECOND);
        await store.maintain(NOW + 10 * SECOND);
        const last = (await rollups("samples_1m")).at(-1);
        expect(last).toMatchObject({ bucket: NOW - MINUTE, count: 60, avg: 2, max: 61 });
      });

      it("retention deletes rows older than 26 h (raw), 31 days (1m) and 400 days (1h)", async () => {
        await putRaw([
          { ts: NOW - 26 * HOUR - SECOND, value: 1 },
          { ts: NOW - 25 * HOUR, value: 1 },
        ]);
        await putRollups(samples1m, [
          { bucket: NOW - 31 * DAY - MINUTE, avg: 1 },
          { bucket: NOW - 30 * DAY, avg: 1 },
        ]);
        await putRollups(samples1h, [
          { bucket: NOW - 400 * DAY - HOUR, avg: 1 },
          { bucket: NOW - 399 * DAY, avg: 1 },
        ]);
        const r = await store.maintain(NOW);
        expect(r.deleted).toEqual({ raw: 1, "1m": 1, "1h": 1 });
        const [left] = await exec<{ raw: number; m: number; h: number }>(
          sql`select (select count(*)::int from ${samplesRaw}) as raw, (select count(*)::int from ${samples1m} where bucket < ${new Date(NOW - 29 * DAY).toISOString()}::timestamptz) as m,
              (select count(*)::int from ${samples1h} where bucket < ${new Date(NOW - 398 * DAY).toISOString()}::timestamptz) as h`,
        );
        expect(left).toEqual({ raw: 1, m: 1, h: 1 });
        // Nothing left to delete: a second pass deletes nothing.
        expect((await store.maintain(NOW)).deleted).toEqual({ raw: 0, "1m": 0, "1h": 0 });
      });

      it("vacuums hourly on PGlite (no autovacuum there), never on PostgreSQL", async () => {
        const later = NOW + 10 * DAY;
        const pglite = store.backend === "pglite";
        expect((await store.maintain(later)).vacuumed).toBe(pglite);
        expect((await store.maintain(later + 30 * MINUTE)).vacuumed).toBe(false);
        expect((await store.maintain(later + HOUR)).vacuumed).toBe(pglite);
      });
    });

    describe("events", () => {
      it("round-trip, newest first, with since, targetId and limit", async () => {
        await store.recordEvents([
          { at: NOW - 2000, source: "sentinel", targetId: "redis-main", type: "+sdown", message: "master down" },
          { at: NOW - 1000, source: "sentinel", targetId: "redis-main", type: "+switch-master", message: "mymaster 10.0.0.1 6379 10.0.0.2 6379" },
          { at: NOW - 500, source: "keepalived", targetId: "vip-trading", type: "MASTER", message: "lb2 took VI_TRADING" },
        ]);
        const all = await store.events({ limit: 10 });
        expect(all.map((e) => e.type)).toEqual(["MASTER", "+switch-master", "+sdown"]);
        expect(all[1]).toEqual({ id: 2, at: NOW - 1000, source: "sentinel", targetId: "redis-main", type: "+switch-master", message: "mymaster 10.0.0.1 6379 10.0.0.2 6379" });
        expect((await store.events({ since: NOW - 1000, limit: 10 })).map((e) => e.id)).toEqual([3, 2]);
        expect((await store.events({ targetId: "redis-main", limit: 1 })).map((e) => e.type)).toEqual(["+switch-master"]);
      });
    });

    describe("heartbeat", () => {
      it("upserts one row per run; last_seen only moves forward; a restart is a new run", async () => {
        const started = NOW - MINUTE;
        await store.heartbeat("dash-a", started, started);
        await store.heartbeat("dash-a", started, NOW);
        await store.heartbeat("dash-a", started, NOW - 30 * SECOND); // a late, out-of-order write
        expect(await store.monitorRuns()).toEqual([{ instanceId: "dash-a", startedAt: started, lastSeenAt: NOW }]);

        await store.heartbeat("dash-b", NOW + HOUR, NOW + HOUR + 5 * SECOND);
        const runs = await store.monitorRuns({ since: NOW + MINUTE });
        expect(runs).toEqual([{ instanceId: "dash-b", startedAt: NOW + HOUR, lastSeenAt: NOW + HOUR + 5 * SECOND }]);
        expect(await store.monitorRuns({ until: NOW + HOUR })).toHaveLength(1);
        await expect(store.heartbeat("dash-a", NOW, NOW - 1)).rejects.toMatchObject({ code: "BAD_REQUEST" });
      });
    });
  });
}

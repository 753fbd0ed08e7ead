import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, type Config } from "@/server/config/load";
import { Runtime } from "@/server/runtime/runtime";
import type { Snapshot } from "@/lib/snapshot";
import { fault, latency, maxmemory, redisTwoMasters, replayPause } from "./lab";
import { redisMemory, redisRoles } from "./chaos-faults";
import { patroniCluster, pgQuery, redisMasterPort, redisReplication } from "./inspect";
import { waitFor } from "./proc";
import {
  describeResult, etcdLeader, haproxyShowStat, marketDataAgeSeconds, replayLag, runScenario, waitLabHealthy, writablePrimary,
  type OracleReading, type Scenario, type StatRow, type ScenarioResult, type Source,
} from "./scenario";
import { HAPROXY, HOST, LATENCY_PROXY, REDIS_NODES, SENTINELS, paths } from "./topology";

/**
 * The seed's rules end to end: each fault injected into the real lab, the dashboard's Runtime polled every
 * 250 ms in-process, and every verdict checked against the component's own tools (never what a collector
 * reads), within a few polls of the fault and of its undo. Each case leaves the lab healthy for the next.
 */

let config: Config;
let runtime: Runtime;
const source: Source = () => runtime.current();

const component = (s: Snapshot, id: string) => s.components.find((c) => c.id === id);
const unit = (s: Snapshot, key: string) => s.units.find((u) => u.key === key);
const isDown = (s: Snapshot, key: string) => unit(s, key)?.raw === "DOWN" || unit(s, key)?.status === "DOWN";

/**
 * Suspected within about one poll of the oracle seeing the fault (an interval, plus the 250 ms granularity of
 * both watchers); confirmed within fall+3 polls; recovered within rise+3 polls of the oracle seeing it whole.
 */
function expectTimely(r: ScenarioResult): void {
  const { intervalMs, fall, rise } = config.defaults;
  console.log(describeResult(r));
  expect(r.agree, `oracle at confirmation: ${r.atConfirm.oracle.detail}; at recovery: ${r.atRecovery.oracle.detail}`).toBe(true);
  expect(r.suspectedAt - r.faultAt, "suspected after the fault (ms)").toBeLessThanOrEqual(intervalMs + 2 * 250);
  expect(r.confirmedAt - r.faultAt, "confirmed after the fault (ms)").toBeLessThanOrEqual((fall + 3) * intervalMs);
  expect(r.recoveredAt - r.healedAt, "recovered after the oracle saw it healthy (ms)").toBeLessThanOrEqual((rise + 3) * intervalMs);
}

beforeAll(async () => {
  await waitLabHealthy();
  config = loadConfig(paths.config);
  runtime = new Runtime({ config, sink: null });
  await runtime.start();
  await waitLabHealthy(source);
}, 180_000);

afterAll(async () => {
  // Whatever failed, leave no fault behind for the next test file.
  await replayPause(false).catch(() => {});
  await maxmemory(false).catch(() => {});
  latency("risk", "off");
  for (const name of ["te1", "te2", "feeder", ...REDIS_NODES.map((n) => n.name), ...SENTINELS.map((s) => s.name)]) {
    await fault("resume", name).catch(() => {});
    await fault("start", name).catch(() => {});
  }
  await runtime?.stop();
}, 60_000);

describe("the seed's rules against the lab, checked by the components' own tools", () => {
  it("standby replay lag over 5 s: database DEGRADED (psql on the standby: receive LSN ahead of replay, last replay > 5 s ago)", async () => {
    const node = (await patroniCluster())!.members.find((m) => m.role === "sync_standby")!.name;
    const key = `postgres:labcluster/${node}`;
    const lagOver = (s: Snapshot) => ((unit(s, key)?.data as { standby?: { replayLagSeconds?: number | null } } | null)?.standby?.replayLagSeconds ?? 0) > 5;
    const r = await runScenario(source, {
      name: `replay paused on ${node}`,
      inject: () => replayPause(true, node),
      undo: () => replayPause(false, node),
      suspected: lagOver,
      confirmed: (s) => component(s, "database")?.status === "DEGRADED" && !!component(s, "database")?.reasons.some((x) => /replay lag .* exceeds 5/.test(x)) && s.overall.status === "DEGRADED",
      recovered: (s) => component(s, "database")?.status === "UP",
      oracle: async () => {
        const l = await replayLag(node);
        return { faulty: l.behind && (l.seconds ?? 0) > 5, detail: `${node}: ${l.behind ? "WAL received but not replayed" : "all received WAL replayed"}, last replay ${l.seconds?.toFixed(1)} s ago` };
      },
    });
    expectTimely(r);
    await waitLabHealthy(source);
  });

  it("Redis memory over 90 % of maxmemory: cache DEGRADED (INFO memory with the admin user)", async () => {
    const port = (await redisMasterPort())!;
    const node = REDIS_NODES.find((n) => n.port === port)!.name;
    const r = await runScenario(source, {
      name: `maxmemory on ${node}`,
      inject: () => maxmemory(true, node),
      undo: () => maxmemory(false, node),
      suspected: (s) => unit(s, `redis:${node}`)?.raw === "DEGRADED",
      confirmed: (s) => component(s, "cache")?.status === "DEGRADED" && s.overall.status === "DEGRADED",
      recovered: (s) => component(s, "cache")?.status === "UP",
      oracle: async () => {
        const m = await redisMemory(port);
        return { faulty: m.max > 0 && m.used / m.max > 0.9, detail: `${node}: used_memory ${m.used} of maxmemory ${m.max}` };
      },
    });
    expectTimely(r);
    await waitLabHealthy(source);
  });

  it("market data older than 5 s: market data STALE, overall DEGRADED (the key read on Sentinel's master)", async () => {
    const r = await runScenario(source, {
      name: "feeder frozen",
      inject: () => fault("stop", "feeder"),
      undo: () => fault("resume", "feeder"),
      suspected: (s) => unit(s, "marketdata:market-data")?.raw === "STALE",
      confirmed: (s) => component(s, "market-data-gateway")?.status === "STALE" && s.overall.status === "DEGRADED",
      recovered: (s) => component(s, "market-data-gateway")?.status === "UP",
      oracle: async () => {
        const age = await marketDataAgeSeconds();
        return { faulty: age === undefined || age > 5, detail: age === undefined ? "no last_market_update" : `last_market_update ${age.toFixed(1)} s old` };
      },
    });
    expectTimely(r);
    await waitLabHealthy(source);
  });

  it("both trading engines lost: CRITICAL (HAProxy's own checks, on its admin socket, say both DOWN)", async () => {
    // HAProxy's latest check of each engine, from its admin socket: a failed check shows at once in
    // check_status, while its status turns DOWN only after its own fall (3 checks).
    const engines = async () => (await haproxyShowStat()).filter((x) => x.pxname === "trading" && /^te\d$/.test(x.svname));
    const detail = (rows: StatRow[]) => rows.map((x) => `${x.svname} ${x.status} (last check ${x.check_status})`).join(", ");
    const r = await runScenario(source, {
      name: "te1 and te2 killed",
      inject: async () => Promise.all([fault("kill", "te1"), fault("kill", "te2")]),
      undo: async () => Promise.all([fault("start", "te1"), fault("start", "te2")]),
      suspected: (s) => !!component(s, "trading-engine")?.suspect || component(s, "trading-engine")?.status === "DOWN",
      confirmed: (s) => component(s, "trading-engine")?.status === "DOWN" && s.overall.status === "CRITICAL",
      recovered: (s) => component(s, "trading-engine")?.status === "UP",
      oracle: async () => {
        const rows = await engines();
        return { faulty: rows.length === 2 && rows.every((x) => x.status.startsWith("DOWN") || !/OK$/.test(x.check_status)), detail: detail(rows) };
      },
      healedOracle: async () => {
        const rows = await engines();
        return { faulty: !(rows.length === 2 && rows.every((x) => x.status === "UP")), detail: detail(rows) };
      },
    });
    expectTimely(r);
    await waitLabHealthy(source);
  });

  it("the database leader's node killed: CRITICAL while there is no writable leader, DEGRADED after Patroni's failover", async () => {
    const old = (await patroniCluster())!.members.find((m) => m.role === "leader")!.name;
    const { intervalMs, rise } = config.defaults;
    let criticalEnded: { oracleAt: number; dashboardAt: number; leader: string | null } | undefined;
    const noLeader = async (): Promise<OracleReading> => {
      const [w, leader] = await Promise.all([writablePrimary(), etcdLeader().catch(() => "etcd unreachable")]);
      return { faulty: !w.ok && (leader === null || leader === old), detail: `${w.detail}; leader key in etcd: ${leader ?? "none"}` };
    };
    const r = await runScenario(source, {
      name: `leader ${old} killed`,
      inject: () => fault("kill", old),
      undo: () => fault("start", old),
      suspected: (s) => isDown(s, `postgres:labcluster/${old}`),
      confirmed: (s) => component(s, "database")?.status === "DOWN" && s.overall.status === "CRITICAL",
      recovered: (s) => component(s, "database")?.status === "UP" && s.overall.status === "HEALTHY",
      oracle: noLeader,
      // Healed once the old leader streams from the new one again: two walsenders streaming on the primary.
      healedOracle: async () => {
        const rows = await pgQuery<{ n: number }>(HAPROXY.rw, "select count(*)::int as n from pg_stat_replication where state = 'streaming'").catch(() => []);
        return { faulty: (rows[0]?.n ?? 0) < 2, detail: `${rows[0]?.n ?? "?"} standbys streaming from the primary` };
      },
      // Before undo: Patroni fails over by itself; CRITICAL must end when a new leader takes writes, not before.
      hold: async () => {
        const oracleAt = (await waitFor("a new writable leader", async () => ((await noLeader()).faulty ? false : Date.now()), 60_000, 250)) as number;
        const dashboardAt = (await waitFor("the dashboard out of CRITICAL", () => (runtime.current().overall.status !== "CRITICAL" ? Date.now() : false), 30_000, 250)) as number;
        criticalEnded = { oracleAt, dashboardAt, leader: await etcdLeader() };
      },
    }, { recoverTimeoutMs: 90_000 });
    expectTimely(r);
    console.log(`CRITICAL ended ${criticalEnded!.dashboardAt - criticalEnded!.oracleAt} ms after ${criticalEnded!.leader} took writes`);
    expect(criticalEnded!.leader).not.toBe(old);
    expect(criticalEnded!.dashboardAt - criticalEnded!.oracleAt).toBeLessThanOrEqual((rise + 3) * intervalMs);
    await waitLabHealthy(source);
  });

  it("the Redis master lost with no Sentinel quorum to fail over: CRITICAL (no node reports role:master)", async () => {
    const port = (await redisMasterPort())!;
    const node = REDIS_NODES.find((n) => n.port === port)!.name;
    const gone = [SENTINELS[1].name, SENTINELS[2].name];
    const r = await runScenario(source, {
      name: `${node} killed, 2 of 3 Sentinels down`,
      inject: async () => {
        for (const s of gone) await fault("kill", s);
        await fault("kill", node);
      },
      undo: async () => {
        await fault("start", node);
        for (const s of gone) await fault("start", s);
      },
      suspected: (s) => isDown(s, `redis:${node}`),
      confirmed: (s) => component(s, "cache")?.status === "DOWN" && s.overall.status === "CRITICAL",
      recovered: (s) => component(s, "cache")?.status === "UP",
      oracle: async () => {
        const roles = await redisRoles();
        return { faulty: !Object.values(roles).includes("master"), detail: Object.entries(roles).map(([n, role]) => `${n} ${role ?? "no answer"}`).join(", ") };
      },
      healedOracle: async () => {
        const roles = await redisRoles();
        const replica = REDIS_NODES.find((n) => roles[n.name] === "slave");
        const link = replica ? (await redisReplication(replica.port))?.master_link_status : undefined;
        return { faulty: link !== "up", detail: `${Object.entries(roles).map(([n, role]) => `${n} ${role ?? "no answer"}`).join(", ")}; replica link ${link ?? "none"}` };
      },
    }, { recoverTimeoutMs: 60_000 });
    expectTimely(r);
    await waitLabHealthy(source);
  });

  it("split brain: the old Redis master restarted as a master beside Sentinel's new one → the redis-masters finding (INFO replication on each node)", async () => {
    const finding = (s: Snapshot) => s.findings.find((f) => f.id === "redis-masters:cache");
    const r = await runScenario(source, {
      name: "two Redis masters",
      inject: () => redisTwoMasters(true),
      undo: () => redisTwoMasters(false),
      suspected: (s) => !!finding(s),
      confirmed: (s) => finding(s)?.severity === "CRITICAL" && s.overall.status === "CRITICAL",
      recovered: (s) => !finding(s),
      oracle: async () => {
        const roles = await redisRoles();
        return { faulty: Object.values(roles).filter((x) => x === "master").length > 1, detail: Object.entries(roles).map(([n, role]) => `${n} ${role ?? "no answer"}`).join(", ") };
      },
    });
    expectTimely(r);
    await waitLabHealthy(source);
  });

  it("a slow path to the risk engine: DOWN above the probe deadline, UP below it (a request timed through the proxy)", async () => {
    const timed = async (): Promise<number> => {
      const t0 = performance.now();
      const res = await fetch(`http://${HOST}:${LATENCY_PROXY.port}/health`, { signal: AbortSignal.timeout(5_000) });
      await res.arrayBuffer();
      return performance.now() - t0;
    };
    const deadline = config.defaults.timeoutMs;
    const slow: Scenario = {
      name: `risk engine ${deadline + 400} ms away`,
      inject: async () => latency("risk", deadline + 400),
      undo: async () => latency("risk", Math.round(deadline / 4)),
      suspected: (s) => isDown(s, "http:risk-health"),
      confirmed: (s) => component(s, "risk-engine")?.status === "DOWN" && s.overall.status === "DEGRADED",
      recovered: (s) => component(s, "risk-engine")?.status === "UP",
      oracle: async () => {
        const ms = await timed();
        return { faulty: ms > deadline, detail: `a request took ${Math.round(ms)} ms (deadline ${deadline} ms)` };
      },
    };
    try {
      const r = await runScenario(source, slow);
      expectTimely(r);
      // Below the deadline the probe waits it out: UP, and the latency it reports shows the slow path.
      const riskLatency = unit(runtime.current(), "http:risk-health")!.latencyMs!;
      expect(riskLatency).toBeGreaterThanOrEqual(deadline / 4);
    } finally {
      latency("risk", "off");
    }
    await waitLabHealthy(source);
  });
});

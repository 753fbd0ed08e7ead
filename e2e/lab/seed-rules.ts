/**
 * The seed's rules as fault scenarios (see scenario.ts for `Scenario` and `runScenario`), each judged by the
 * component's own tools. The lab test (seed-rules.lab.test.ts) runs them all; the chaos runner may too.
 * Builders read the lab's roles when called (which node is the sync standby, the Redis master ...), so build
 * each scenario right before running it.
 *   replayLag()         sync standby's replay paused while the primary writes: lag > 5 s → database DEGRADED
 *   redisMemory()       maxmemory just above used memory on the master: > 90 % → cache DEGRADED
 *   staleMarketData()   feeder frozen: market data STALE, overall DEGRADED
 *   enginesLost()       both trading engines killed: CRITICAL
 *   leaderLost()        the leader's node killed: CRITICAL until Patroni's failover gives a writable leader;
 *                       `criticalEnded` then holds when the oracle and the dashboard each saw that
 *   redisMasterLost()   two Sentinels and then the master killed (no quorum, no failover): CRITICAL
 *   redisTwoMasters()   old master restarted as a master beside Sentinel's new one: the redis-masters finding
 *   slowPath(deadline)  the risk engine's /health behind deadline + 400 ms: DOWN; undo to deadline / 4: UP
 */
import type { Snapshot } from "@/lib/snapshot";
import { latency, maxmemory, redisRoles, redisMemory as redisMemoryOf, redisTwoMasters as twoMasters, replayPause } from "./chaos-faults";
import { fault } from "./faults";
import { patroniCluster, pgQuery, redisMasterPort, redisReplication } from "./inspect";
import { waitFor } from "./proc";
import { etcdLeader, haproxyShowStat, marketDataAgeSeconds, replayLag as replayLagOf, writablePrimary, type OracleReading, type Scenario, type StatRow } from "./scenario";
import { HAPROXY, HOST, LATENCY_PROXY, REDIS_NODES, SENTINELS } from "./topology";

const component = (s: Snapshot, id: string) => s.components.find((c) => c.id === id);
const unit = (s: Snapshot, key: string) => s.units.find((u) => u.key === key);
const isDown = (s: Snapshot, key: string) => unit(s, key)?.raw === "DOWN" || unit(s, key)?.status === "DOWN";
const rolesDetail = (roles: Record<string, string | undefined>) => Object.entries(roles).map(([n, role]) => `${n} ${role ?? "no answer"}`).join(", ");

async function redisMaster() {
  const port = await redisMasterPort();
  const node = REDIS_NODES.find((n) => n.port === port);
  if (!node) throw new Error("the Sentinels name no Redis master (is the lab up?)");
  return node;
}

export async function replayLag(): Promise<Scenario> {
  const node = (await patroniCluster())?.members.find((m) => m.role === "sync_standby")?.name;
  if (!node) throw new Error("no sync standby (is the lab up?)");
  const key = `postgres:labcluster/${node}`;
  return {
    name: `replay paused on ${node}`,
    inject: () => replayPause(true, node),
    undo: () => replayPause(false, node),
    // The pause alone already makes the standby DEGRADED; the lag rule is what these look for.
    suspected: (s) => ((unit(s, key)?.data as { standby?: { replayLagSeconds?: number | null } } | null)?.standby?.replayLagSeconds ?? 0) > 5,
    confirmed: (s) =>
      component(s, "database")?.status === "DEGRADED" && !!component(s, "database")?.reasons.some((x) => /replay lag .* exceeds 5/.test(x)) && s.overall.status === "DEGRADED",
    recovered: (s) => component(s, "database")?.status === "UP",
    oracle: async () => {
      const l = await replayLagOf(node);
      return { faulty: l.behind && (l.seconds ?? 0) > 5, detail: `${node}: ${l.behind ? "WAL received but not replayed" : "all received WAL replayed"}, last replay ${l.seconds?.toFixed(1)} s ago` };
    },
  };
}

export async function redisMemory(): Promise<Scenario> {
  const { name: node, port } = await redisMaster();
  return {
    name: `maxmemory on ${node}`,
    inject: () => maxmemory(true, node),
    undo: () => maxmemory(false, node),
    suspected: (s) => unit(s, `redis:${node}`)?.raw === "DEGRADED",
    confirmed: (s) => component(s, "cache")?.status === "DEGRADED" && s.overall.status === "DEGRADED",
    recovered: (s) => component(s, "cache")?.status === "UP",
    oracle: async () => {
      const m = await redisMemoryOf(port);
      return { faulty: m.max > 0 && m.used / m.max > 0.9, detail: `${node}: used_memory ${m.used} of maxmemory ${m.max}` };
    },
  };
}

export function staleMarketData(): Scenario {
  return {
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
  };
}

export function enginesLost(): Scenario {
  // HAProxy's latest check of each engine, from its admin socket: a failed check shows at once in
  // check_status, while its status turns DOWN only after its own fall (3 checks).
  const engines = async () => (await haproxyShowStat()).filter((x) => x.pxname === "trading" && /^te\d$/.test(x.svname));
  const detail = (rows: StatRow[]) => rows.map((x) => `${x.svname} ${x.status} (last check ${x.check_status})`).join(", ");
  return {
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
  };
}

export type LeaderLost = Scenario & {
  old: string;
  /** Set by `hold`: when the oracle saw a new writable leader, and when the dashboard left CRITICAL. */
  criticalEnded?: { oracleAt: number; dashboardAt: number; leader: string | null };
};

export async function leaderLost(): Promise<LeaderLost> {
  const old = (await patroniCluster())?.members.find((m) => m.role === "leader")?.name;
  if (!old) throw new Error("no Patroni leader (is the lab up?)");
  const noLeader = async (): Promise<OracleReading> => {
    const [w, leader] = await Promise.all([writablePrimary(), etcdLeader().catch(() => "etcd unreachable")]);
    return { faulty: !w.ok && (leader === null || leader === old), detail: `${w.detail}; leader key in etcd: ${leader ?? "none"}` };
  };
  const sc: LeaderLost = {
    old,
    name: `leader ${old} killed`,
    inject: () => fault("kill", old),
    undo: () => fault("start", old),
    suspected: (s) => isDown(s, `postgres:labcluster/${old}`),
    confirmed: (s) => component(s, "database")?.status === "DOWN" && s.overall.status === "CRITICAL",
    recovered: (s) => component(s, "database")?.status === "UP" && s.overall.status === "HEALTHY",
    oracle: noLeader,
    // Whole again once the old leader streams from the new one: two walsenders streaming on the primary.
    healedOracle: async () => {
      const rows = await pgQuery<{ n: number }>(HAPROXY.rw, "select count(*)::int as n from pg_stat_replication where state = 'streaming'").catch(() => []);
      return { faulty: (rows[0]?.n ?? 0) < 2, detail: `${rows[0]?.n ?? "?"} standbys streaming from the primary` };
    },
    // Before undo: Patroni fails over by itself, and CRITICAL must end when a new leader takes writes.
    hold: async (source) => {
      const oracleAt = await waitFor("a new writable leader", async () => ((await noLeader()).faulty ? false : Date.now()), 60_000, 250);
      const dashboardAt = await waitFor("the dashboard out of CRITICAL", async () => ((await source()).overall.status !== "CRITICAL" ? Date.now() : false), 30_000, 250);
      sc.criticalEnded = { oracleAt, dashboardAt, leader: await etcdLeader() };
    },
  };
  return sc;
}

export async function redisMasterLost(): Promise<Scenario> {
  const { name: node } = await redisMaster();
  const gone = [SENTINELS[1].name, SENTINELS[2].name];
  return {
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
      return { faulty: !Object.values(roles).includes("master"), detail: rolesDetail(roles) };
    },
    healedOracle: async () => {
      const roles = await redisRoles();
      const replica = REDIS_NODES.find((n) => roles[n.name] === "slave");
      const link = replica ? (await redisReplication(replica.port))?.master_link_status : undefined;
      return { faulty: link !== "up", detail: `${rolesDetail(roles)}; replica link ${link ?? "none"}` };
    },
  };
}

export function redisTwoMasters(): Scenario {
  const finding = (s: Snapshot) => s.findings.find((f) => f.id === "redis-masters:cache");
  return {
    name: "two Redis masters",
    inject: () => twoMasters(true),
    undo: () => twoMasters(false),
    suspected: (s) => !!finding(s),
    confirmed: (s) => finding(s)?.severity === "CRITICAL" && s.overall.status === "CRITICAL",
    recovered: (s) => !finding(s),
    oracle: async () => {
      const roles = await redisRoles();
      return { faulty: Object.values(roles).filter((x) => x === "master").length > 1, detail: rolesDetail(roles) };
    },
  };
}

/** A request to the risk engine through the latency proxy, timed: what a client on that path waits. */
async function timedRequest(): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`http://${HOST}:${LATENCY_PROXY.port}/health`, { signal: AbortSignal.timeout(5_000) });
  await res.arrayBuffer();
  return performance.now() - t0;
}

/** Undo leaves deadline / 4 of latency (UP, but slow); call `latency("risk", "off")` afterwards. */
export function slowPath(deadlineMs: number): Scenario {
  return {
    name: `risk engine ${deadlineMs + 400} ms away`,
    inject: async () => latency("risk", deadlineMs + 400),
    undo: async () => latency("risk", Math.round(deadlineMs / 4)),
    suspected: (s) => isDown(s, "http:risk-health"),
    confirmed: (s) => component(s, "risk-engine")?.status === "DOWN" && s.overall.status === "DEGRADED",
    recovered: (s) => component(s, "risk-engine")?.status === "UP",
    oracle: async () => {
      const ms = await timedRequest();
      return { faulty: ms > deadlineMs, detail: `a request took ${Math.round(ms)} ms (deadline ${deadlineMs} ms)` };
    },
  };
}

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, type Config } from "@/server/config/load";
import { Runtime } from "@/server/runtime/runtime";
import { fault, latency, maxmemory, replayPause } from "./lab";
import { describeResult, runScenario, waitLabHealthy, type Scenario, type ScenarioResult, type Source } from "./scenario";
import { enginesLost, leaderLost, redisMasterLost, redisMemory, redisTwoMasters, replayLag, slowPath, staleMarketData } from "./seed-rules";
import { REDIS_NODES, SENTINELS, paths } from "./topology";

/**
 * The seed's rules end to end: each fault injected into the real lab, the dashboard's Runtime polled every
 * 250 ms in-process, and every verdict checked against the component's own tools (never what a collector
 * reads), within a few polls of the fault and of its undo. Each case leaves the lab healthy for the next.
 */

let config: Config;
let runtime: Runtime;
const source: Source = () => runtime.current();

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

async function check(sc: Scenario, opts?: Parameters<typeof runScenario>[2]): Promise<ScenarioResult> {
  const r = await runScenario(source, sc, opts);
  expectTimely(r);
  await waitLabHealthy(source);
  return r;
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
  try {
    latency("risk", "off");
  } catch {
    // the proxy is not running: no latency to remove
  }
  for (const name of ["te1", "te2", "feeder", ...REDIS_NODES.map((n) => n.name), ...SENTINELS.map((s) => s.name)]) {
    await fault("resume", name).catch(() => {});
    await fault("start", name).catch(() => {});
  }
  await runtime?.stop();
}, 60_000);

describe("the seed's rules against the lab, checked by the components' own tools", () => {
  it("standby replay lag over 5 s: database DEGRADED (psql on the standby: receive LSN ahead of replay, last replay > 5 s ago)", async () => {
    await check(await replayLag());
  });

  it("Redis memory over 90 % of maxmemory: cache DEGRADED (INFO memory with the admin user)", async () => {
    await check(await redisMemory());
  });

  it("market data older than 5 s: market data STALE, overall DEGRADED (the key and its _ms twin read on Sentinel's master)", async () => {
    await check(staleMarketData());
  });

  it("both trading engines lost: CRITICAL (HAProxy's own checks, on its admin socket)", async () => {
    await check(enginesLost());
  });

  it("the database leader's node killed: CRITICAL while there is no writable leader, not after Patroni's failover (etcd's leader key, psql through HAProxy)", async () => {
    const { intervalMs, rise } = config.defaults;
    const sc = await leaderLost();
    await check(sc, { recoverTimeoutMs: 90_000 });
    const ended = sc.criticalEnded!;
    console.log(`CRITICAL ended ${ended.dashboardAt - ended.oracleAt} ms after ${ended.leader} took writes`);
    expect(ended.leader).not.toBe(sc.old);
    expect(ended.dashboardAt - ended.oracleAt).toBeLessThanOrEqual((rise + 3) * intervalMs);
  });

  it("the Redis master lost with no Sentinel quorum to fail over: CRITICAL (no node reports role:master)", async () => {
    await check(await redisMasterLost(), { recoverTimeoutMs: 60_000 });
  });

  it("split brain: the old Redis master restarted as a master beside Sentinel's new one → the redis-masters finding (INFO replication on each node)", async () => {
    await check(redisTwoMasters());
  });

  it("a slow path to the risk engine: DOWN above the probe deadline, UP below it (a request timed through the proxy)", async () => {
    const deadline = config.defaults.timeoutMs;
    try {
      await runScenario(source, slowPath(deadline)).then(expectTimely);
      // Below the deadline the probe waits it out: UP, and the latency it reports shows the slow path.
      const risk = runtime.current().units.find((u) => u.key === "http:risk-health")!;
      expect(risk.latencyMs).toBeGreaterThanOrEqual(deadline / 4);
    } finally {
      latency("risk", "off");
    }
    await waitLabHealthy(source);
  });
});

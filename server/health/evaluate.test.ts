import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseConfig } from "@/server/config/load";
import { evaluate, initialHealthState, type EvaluateOptions, type HealthState } from "./evaluate";
import {
  T0, failed, haproxy, healthy, http, labConfig, market, patroni, patroniData, pgPrimary, pgStandby, redis, replace, sentinel, vrrp,
} from "./test-factories";
import type { HealthConfig, Observation } from "./types";
import type { Verdict } from "@/lib/health";

const config = labConfig();

/**
 * Probe every second from T0 for `seconds` probes; `faulty(t, i)` gives the observations of probe i.
 * Evaluates after each probe, as the runtime does, and returns every verdict.
 */
function run(seconds: number, faulty: (t: number, i: number) => Observation[], o: { cfg?: HealthConfig; state?: HealthState; opts?: EvaluateOptions } = {}) {
  let state = o.state ?? initialHealthState();
  const verdicts: Verdict[] = [];
  for (let i = 0; i < seconds; i++) {
    const t = T0 + i * 1000;
    const r = evaluate(o.cfg ?? config, faulty(t, i), state, t + 10, o.opts);
    state = r.state;
    verdicts.push(r.verdict);
  }
  return { verdicts, last: verdicts[verdicts.length - 1]!, state };
}
const unitOf = (v: Verdict, key: string) => v.units.find((u) => u.key === key)!;
const compOf = (v: Verdict, id: string) => v.components.find((c) => c.id === id)!;

/** Healthy for 2 probes, then `fault` from probe 2 on. */
const faultAfterHealthy = (fault: (t: number) => Observation[]) => (t: number, i: number) => (i < 2 ? healthy(t) : replace(healthy(t), ...fault(t)));

describe("evaluate: a healthy lab", () => {
  it("is HEALTHY with every unit UP and zero findings", () => {
    const { last } = run(1, (t) => healthy(t));
    expect(last.overall).toBe("HEALTHY");
    expect(last.reasons).toEqual([]);
    expect(last.findings).toEqual([]);
    expect(last.units.filter((u) => u.status !== "UP").map((u) => u.key)).toEqual([]);
    expect(last.units).toHaveLength(15);
    const monitored = last.components.filter((c) => c.unitKeys.length);
    expect(monitored.map((c) => [c.id, c.status])).toEqual([
      ["trading-engine", "UP"],
      ["order-management", "UP"],
      ["market-data-gateway", "UP"],
      ["database", "UP"],
      ["cache", "UP"],
      ["load-balancer", "UP"],
    ]);
    expect(compOf(last, "risk-engine")).toMatchObject({ status: "NO_DATA", unitKeys: [] });
  });

  it("before any probe every unit is NO_DATA and the verdict says so (never up)", () => {
    const { verdict } = evaluate(config, [], initialHealthState(), T0);
    expect(verdict.units.every((u) => u.status === "NO_DATA" && u.since === null)).toBe(true);
    expect(verdict.overall).toBe("DEGRADED");
    expect(verdict.reasons[0]).toContain("no probe result yet");
  });

  it("accepts the loaded example config (Config satisfies HealthConfig)", () => {
    const env = { HA_PG_PASSWORD: "x", HA_REDIS_PASSWORD: "x", HA_HAPROXY_PASSWORD: "x", HA_PATRONI_PASSWORD: "x", HA_SENTINEL_PASSWORD: "x", HA_WEBHOOK_SECRET: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" } as unknown as NodeJS.ProcessEnv;
    const cfg = parseConfig(readFileSync("ha.config.example.yaml", "utf8"), "ha.config.example.yaml", env);
    const { verdict } = evaluate(cfg, [], initialHealthState(), T0);
    expect(verdict.units.map((u) => u.key)).toContain("postgres:hft_trading/postgres2");
    expect(verdict.components.map((c) => c.id)).toContain("network");
  });
});

describe("evaluate: the seed's rules, end to end", () => {
  it("standby lag > 5 s → standby DEGRADED at the 3rd probe → database DEGRADED → overall DEGRADED", () => {
    const { verdicts } = run(5, faultAfterHealthy((t) => [pgStandby("pg2", { at: t, lagSeconds: 9 })]));
    expect(verdicts.map((v) => unitOf(v, "postgres:labcluster/pg2").status)).toEqual(["UP", "UP", "UP", "UP", "DEGRADED"]);
    expect(verdicts.map((v) => v.overall)).toEqual(["HEALTHY", "HEALTHY", "HEALTHY", "HEALTHY", "DEGRADED"]);
    const last = verdicts[4]!;
    expect(compOf(last, "database").reasons).toEqual(["standby labcluster/pg2 is DEGRADED: standby replay lag 9 s exceeds 5 s"]);
    expect(last.reasons).toEqual(["Database (Primary) is DEGRADED: standby labcluster/pg2 is DEGRADED: standby replay lag 9 s exceeds 5 s"]);
  });

  it("a cluster's maxLagSeconds applies", () => {
    const cfg = labConfig({ clusters: [{ ...labConfig().clusters[0]!, maxLagSeconds: 10 }] });
    const { last } = run(5, faultAfterHealthy((t) => [pgStandby("pg2", { at: t, lagSeconds: 9 })]), { cfg });
    expect(last.overall).toBe("HEALTHY");
  });

  it("Redis memory > 90% → cache DEGRADED → overall DEGRADED", () => {
    const { last } = run(5, faultAfterHealthy((t) => [redis("redis1", { at: t, used: 95, max: 100 })]));
    expect(unitOf(last, "redis:redis1")).toMatchObject({ status: "DEGRADED", reason: "memory 95% of maxmemory exceeds 90%" });
    expect(compOf(last, "cache").status).toBe("DEGRADED");
    expect(last.overall).toBe("DEGRADED");
  });

  it("market data older than 5 s → STALE → overall DEGRADED", () => {
    const { last } = run(5, faultAfterHealthy((t) => [market(7.5, { at: t })]));
    expect(unitOf(last, "marketdata:market-data")).toMatchObject({ status: "STALE", reason: "market data is 7.5 s old, limit 5 s" });
    expect(compOf(last, "market-data-gateway").status).toBe("STALE");
    expect(last).toMatchObject({ overall: "DEGRADED", reasons: ["Market Data Gateway is STALE: market-data: market data is 7.5 s old, limit 5 s"] });
  });

  it("no market data → NO_DATA → overall DEGRADED", () => {
    const { last } = run(5, faultAfterHealthy((t) => [market(null, { at: t })]));
    expect(unitOf(last, "marketdata:market-data").status).toBe("NO_DATA");
    expect(last.overall).toBe("DEGRADED");
  });

  it("trading engine unreachable → suspect at once, CRITICAL at the 3rd probe", () => {
    const down = (t: number) => ["te1-health", "te2-health"].map((id) => failed("http", id, "connection refused", { at: t, component: "trading-engine" }))
      .concat(["te1-tcp", "te2-tcp"].map((id) => failed("tcp", id, "connection refused", { at: t })));
    const { verdicts } = run(5, faultAfterHealthy(down));
    const first = verdicts[2]!;
    expect(unitOf(first, "http:te1-health")).toMatchObject({ status: "UP", raw: "DOWN", suspect: { status: "DOWN", count: 1, needed: 3 } });
    expect(compOf(first, "trading-engine").suspect).toMatchObject({ status: "DOWN", count: 1, needed: 3 });
    expect(first.overall).toBe("HEALTHY");
    expect(first.reasons[0]).toContain("Trading Engine may become DOWN (1/3)");
    expect(verdicts.map((v) => v.overall)).toEqual(["HEALTHY", "HEALTHY", "HEALTHY", "HEALTHY", "CRITICAL"]);
    expect(verdicts[4]!.reasons[0]).toMatch(/^Trading Engine is DOWN: none of 4 serving; te1-health is DOWN: connection refused/);
  });

  it("one engine of two unreachable → DEGRADED, not CRITICAL", () => {
    const { last } = run(5, faultAfterHealthy((t) => [failed("http", "te1-health", "connection refused", { at: t, component: "trading-engine" }), failed("tcp", "te1-tcp", "refused", { at: t })]));
    expect(compOf(last, "trading-engine").status).toBe("DEGRADED");
    expect(last.overall).toBe("DEGRADED");
  });

  it("the seed's HTTP != 200 on the engine is DOWN for the unit too", () => {
    const { last } = run(5, faultAfterHealthy((t) => [http("te1-health", 500, { at: t })]));
    expect(unitOf(last, "http:te1-health")).toMatchObject({ status: "DOWN", reason: "HTTP 500, expected 200" });
  });

  it("database unreachable (the leader's PostgreSQL) → CRITICAL", () => {
    const { last } = run(5, faultAfterHealthy((t) => [failed("postgres", "labcluster", "connection refused", { at: t, node: "pg1" })]));
    expect(compOf(last, "database")).toMatchObject({ status: "DOWN", reasons: ["leader labcluster/pg1: PostgreSQL does not answer: connection refused"] });
    expect(last.overall).toBe("CRITICAL");
  });

  it("Patroni without a leader → database DOWN → CRITICAL", () => {
    const { last } = run(5, faultAfterHealthy((t) => [failed("patroni", "labcluster", "no leader (cluster view from pg2)", { at: t, data: patroniData(null) })]));
    expect(compOf(last, "database").status).toBe("DOWN");
    expect(last.overall).toBe("CRITICAL");
  });

  it("Redis unreachable (the master Sentinel names) → CRITICAL", () => {
    const { last } = run(5, faultAfterHealthy((t) => [failed("redis", "redis1", "connection refused", { at: t })]));
    expect(compOf(last, "cache").status).toBe("DOWN");
    expect(last.overall).toBe("CRITICAL");
    expect(last.reasons[0]).toContain("master redis1");
  });

  it("a replica or a standby dying is DEGRADED, not CRITICAL", () => {
    const { last } = run(5, faultAfterHealthy((t) => [failed("redis", "redis2", "refused", { at: t }), failed("postgres", "labcluster", "refused", { at: t, node: "pg3" })]));
    expect(last.overall).toBe("DEGRADED");
  });
});

describe("evaluate: hysteresis across calls", () => {
  it("a one-probe blip is shown as a suspect but never confirmed", () => {
    const { verdicts } = run(5, (t, i) => (i === 2 ? replace(healthy(t), failed("postgres", "labcluster", "refused", { at: t, node: "pg1" })) : healthy(t)));
    expect(verdicts.map((v) => v.overall)).toEqual(["HEALTHY", "HEALTHY", "HEALTHY", "HEALTHY", "HEALTHY"]);
    expect(unitOf(verdicts[2]!, "postgres:labcluster/pg1").suspect).toMatchObject({ status: "DOWN", count: 1 });
    expect(unitOf(verdicts[3]!, "postgres:labcluster/pg1").suspect).toBeNull();
  });

  it("re-sending the same observations does not count them again (evaluate runs more often than probes)", () => {
    const obs = replace(healthy(T0 + 1000), failed("postgres", "labcluster", "refused", { at: T0 + 1000, node: "pg1" }));
    let state = evaluate(config, healthy(T0), initialHealthState(), T0).state;
    let v: Verdict | undefined;
    for (let i = 0; i < 10; i++) ({ verdict: v, state } = evaluate(config, obs, state, T0 + 1000 + i * 100));
    expect(unitOf(v!, "postgres:labcluster/pg1")).toMatchObject({ status: "UP", suspect: { count: 1 } });
  });

  it("several new observations of one unit in one call count in time order", () => {
    const fails = [3, 1, 2].map((s) => failed("postgres", "labcluster", "refused", { at: T0 + s * 1000, node: "pg1" }));
    const s0 = evaluate(config, healthy(T0), initialHealthState(), T0).state;
    const { verdict } = evaluate(config, [...healthy(T0), ...fails], s0, T0 + 3010);
    // Dated from the first failing probe of the streak (sent 1 ms before it answered), not the third.
    expect(unitOf(verdict, "postgres:labcluster/pg1")).toMatchObject({ status: "DOWN", since: T0 + 1000 - 1 });
  });

  it("a component's since is its last confirmed transition, dated from the streak that confirmed it", () => {
    // redis1 (the master) refused from probe 1 to 3 (each sent 1 ms before it answered); fall 3 confirms
    // it at probe 3, rise 2 clears it at probe 5: down from probe 1's start to probe 4's answer.
    const { verdicts } = run(7, (t, i) => (i >= 1 && i <= 3 ? replace(healthy(t), failed("redis", "redis1", "refused", { at: t })) : healthy(t)));
    const cache = verdicts.map((v) => compOf(v, "cache"));
    expect(cache.map((c) => c.status)).toEqual(["UP", "UP", "UP", "DOWN", "DOWN", "UP", "UP"]);
    expect(cache.map((c) => c.since - T0)).toEqual([0, 0, 0, 999, 999, 4000, 4000]);
    // The overall verdict carries the same dates.
    expect(verdicts.map((v) => [v.overall, v.since - T0])).toEqual([
      ["HEALTHY", 0], ["HEALTHY", 0], ["HEALTHY", 0], ["CRITICAL", 999], ["CRITICAL", 999], ["HEALTHY", 4000], ["HEALTHY", 4000],
    ]);
  });

  it("a peer group's DOWN begins when its last peer began failing, and ends when the first serves again", () => {
    // te1 refused from probe 1, te2 from probe 2; te1 answers again from probe 6, te2 from probe 8.
    const engines = (t: number, i: number) => {
      const bad: Observation[] = [];
      if (i >= 1 && i <= 5) bad.push(failed("http", "te1-health", "refused", { at: t, latencyMs: 5 }), failed("tcp", "te1-tcp", "refused", { at: t, latencyMs: 5 }));
      if (i >= 2 && i <= 7) bad.push(failed("http", "te2-health", "refused", { at: t, latencyMs: 5 }), failed("tcp", "te2-tcp", "refused", { at: t, latencyMs: 5 }));
      return replace(healthy(t), ...bad);
    };
    const { verdicts } = run(11, engines);
    const te = verdicts.map((v) => compOf(v, "trading-engine"));
    const changes = te.filter((c, i) => i === 0 || c.status !== te[i - 1]!.status).map((c) => [c.status, c.since - T0]);
    expect(changes).toEqual([["UP", 0], ["DEGRADED", 995], ["DOWN", 1995], ["DEGRADED", 6000], ["UP", 8000]]);
  });

  it("a component's since can be seeded from the store, and holds only while the seeded status still holds", () => {
    const seeded = initialHealthState({ database: { status: "UP", since: T0 - 86_400_000 }, cache: { status: "DOWN", since: T0 - 60_000 } });
    const { verdict } = evaluate(config, healthy(T0), seeded, T0 + 10);
    expect(compOf(verdict, "database").since).toBe(T0 - 86_400_000);
    // The UP that replaced the stored DOWN dates from its probe, not from the stored DOWN.
    expect(compOf(verdict, "cache")).toMatchObject({ status: "UP", since: T0 });
  });

  it("recovery needs rise 2", () => {
    const { verdicts } = run(7, (t, i) => (i >= 1 && i <= 3 ? replace(healthy(t), failed("redis", "redis1", "refused", { at: t })) : healthy(t)));
    expect(verdicts.map((v) => unitOf(v, "redis:redis1").status)).toEqual(["UP", "UP", "UP", "DOWN", "DOWN", "UP", "UP"]);
    expect(unitOf(verdicts[4]!, "redis:redis1").suspect).toMatchObject({ status: "UP", count: 1, needed: 2 });
  });

  it("a monitoring gap (> 3 intervals without a result) is STALE at once, and overall DEGRADED", () => {
    const s = run(2, (t) => healthy(t)).state;
    // The market data probe stops reporting; everything else carries on.
    const others = (t: number) => healthy(t).filter((o) => o.kind !== "marketdata");
    const at = (sec: number) => evaluate(config, others(T0 + sec * 1000), s, T0 + sec * 1000 + 10).verdict;
    expect(unitOf(at(3), "marketdata:market-data").status).toBe("UP");
    const v = at(5);
    expect(unitOf(v, "marketdata:market-data")).toMatchObject({ status: "STALE", since: T0 + 1000 + 3000 });
    expect(unitOf(v, "marketdata:market-data").reason).toContain("no probe result for");
    expect(v.overall).toBe("DEGRADED");
  });

  it("the gap follows each unit's own interval", () => {
    const cfg = labConfig({ sentinels: [{ ...labConfig().sentinels[0]!, intervalMs: 30_000 }] });
    const s = evaluate(cfg, healthy(T0), initialHealthState(), T0).state;
    const { verdict } = evaluate(cfg, healthy(T0 + 10_000).filter((o) => o.kind !== "sentinel"), s, T0 + 10_000);
    expect(unitOf(verdict, "sentinel:labredis").status).toBe("UP");
  });

  it("is deterministic and leaves the previous state untouched", () => {
    const prev = run(3, (t) => healthy(t)).state;
    const snapshot = JSON.stringify(prev);
    const obs = replace(healthy(T0 + 3000), failed("redis", "redis1", "refused", { at: T0 + 3000 }));
    const a = evaluate(config, obs, prev, T0 + 3010);
    const b = evaluate(config, obs, prev, T0 + 3010);
    expect(a).toEqual(b);
    expect(JSON.stringify(prev)).toBe(snapshot);
  });

  it("ignores observations of units that are not in the config, and forgets units removed from it", () => {
    const stray = redis("ghost", { at: T0 });
    const { verdict, state } = evaluate(config, [...healthy(T0), stray], initialHealthState(), T0);
    expect(verdict.units.some((u) => u.key === "redis:ghost")).toBe(false);
    const smaller = labConfig({ redis: [labConfig().redis[0]!] });
    expect(Object.keys(evaluate(smaller, [], state, T0 + 100).state.units)).not.toContain("redis:redis2");
  });
});

describe("evaluate: cross-layer findings", () => {
  it("a healthy switchover's brief overlap stays a WARNING (suspected, verdict unchanged) and clears", () => {
    // pg3 takes over; HAProxy still has pg1 UP for one probe.
    const { verdicts } = run(4, (t, i) => {
      if (i === 0) return healthy(t);
      const after = replace(healthy(t), patroni("pg3", { at: t }), pgStandby("pg1", { at: t }), pgPrimary("pg3", { at: t }), pgStandby("pg2", { at: t }));
      return i === 1 ? replace(after, haproxy("pg3", { at: t, rw: { pg1: "UP" } })) : replace(after, haproxy("pg3", { at: t }));
    });
    expect(verdicts[1]!.findings.map((f) => [f.id, f.severity])).toEqual([["haproxy-writes-not-leader:haproxy/pg_rw", "WARNING"]]);
    expect(verdicts[1]!.overall).toBe("HEALTHY");
    expect(verdicts[1]!.reasons).toEqual(["suspected: HAProxy haproxy sends writes (pg_rw) to pg1, not the leader pg3"]);
    expect(verdicts[2]!.findings).toEqual([]);
    expect(verdicts[3]!.overall).toBe("HEALTHY");
  });

  it("a lasting split brain becomes CRITICAL after (fall − 1) intervals, keeping its first-seen time", () => {
    const { verdicts } = run(5, faultAfterHealthy((t) => [vrrp({ ka1: "MASTER", ka2: "MASTER" }, { at: t })]));
    expect(verdicts.map((v) => v.findings[0]?.severity ?? "-")).toEqual(["-", "-", "WARNING", "WARNING", "CRITICAL"]);
    // The unit's own DEGRADED (fall 3) and the finding (2 s) confirm together.
    expect(verdicts.map((v) => v.overall)).toEqual(["HEALTHY", "HEALTHY", "HEALTHY", "HEALTHY", "CRITICAL"]);
    expect(verdicts[4]!.findings[0]).toMatchObject({ id: "split-brain:vi-trading", since: T0 + 2010 });
    expect(verdicts[4]!.overall).toBe("CRITICAL");
    expect(verdicts[4]!.reasons).toContain("VRRP split brain: ka1 and ka2 are all MASTER for VI_TRADING");
    expect(compOf(verdicts[4]!, "load-balancer").status).toBe("DEGRADED");
  });

  it("keepalived killed on the MASTER while the peer takes over: a duplicate-VIP WARNING, then CRITICAL overall", () => {
    const silent = { lastStates: { ka1: "MASTER" }, silent: ["ka1"], errors: { ka1: "keepalived not reporting (last heartbeat 3.4 s ago; last state MASTER)" } };
    const { verdicts } = run(5, faultAfterHealthy((t) => [vrrp({ ka1: "UNKNOWN", ka2: "MASTER" }, { ...silent, at: t })]));
    expect(verdicts.map((v) => v.findings.map((f) => `${f.id} ${f.severity}`).join() || "-")).toEqual([
      "-", "-", "duplicate-vip:vi-trading/ka1 WARNING", "duplicate-vip:vi-trading/ka1 WARNING", "duplicate-vip:vi-trading/ka1 CRITICAL",
    ]);
    expect(verdicts[4]!.overall).toBe("CRITICAL");
    expect(verdicts[4]!.reasons).toContain("Possible duplicate VIP: ka1's keepalived stopped as MASTER; its VIP 10.77.0.100 may still be configured there while ka2 holds it");
  });

  it("a drain (clean failover) raises no VRRP finding", () => {
    const { verdicts } = run(5, faultAfterHealthy((t) => [vrrp({ ka1: "BACKUP", ka2: "MASTER" }, { at: t, vipAnswer: { node: "ka2", answer: "ka2", error: null, latencyMs: 2 } })]));
    expect(verdicts.flatMap((v) => v.findings)).toEqual([]);
    expect(verdicts[4]!.overall).toBe("HEALTHY");
  });

  it("findingConfirmMs 0 reports findings CRITICAL at once", () => {
    const { last } = run(1, (t) => replace(healthy(t), redis("redis2", { at: t })), { opts: { findingConfirmMs: 0 } });
    expect(last.findings).toMatchObject([{ id: "redis-masters:cache", severity: "CRITICAL" }]);
    expect(last.overall).toBe("CRITICAL");
  });

  it("an orphan primary after Patroni was killed on the leader: finding, then CRITICAL", () => {
    const { last } = run(6, faultAfterHealthy((t) => [
      patroni("pg2", { at: t, nodes: ["pg2", "pg3"] }),
      pgPrimary("pg1", { at: t }),
      pgPrimary("pg2", { at: t }),
      haproxy("pg2", { at: t }),
    ]));
    expect(last.findings.map((f) => [f.id, f.severity])).toEqual([
      ["multiple-primaries:labcluster", "CRITICAL"],
      ["orphan-primary:labcluster/pg1", "CRITICAL"],
    ]);
    expect(last.overall).toBe("CRITICAL");
  });

  it("mixing a fresh view with a stale one raises nothing", () => {
    const s = run(1, (t) => healthy(t)).state;
    // 5 s later only Patroni and pg3 report (a switchover to pg3); pg1's "primary" answer is 5 s old.
    const { verdict } = evaluate(config, [patroni("pg3", { at: T0 + 5000 }), pgPrimary("pg3", { at: T0 + 5000 })], s, T0 + 5010);
    expect(verdict.findings).toEqual([]);
  });

  it("two Redis masters after a Sentinel failover: CRITICAL while the old master stays writable", () => {
    const { verdicts } = run(5, faultAfterHealthy((t) => [sentinel("127.0.0.1:6392", { at: t }), redis("redis2", { at: t })]));
    expect(verdicts[4]!.findings.map((f) => f.id)).toEqual(["redis-masters:cache"]);
    expect(verdicts[4]!.findings[0]!.explanation).toContain("names 127.0.0.1:6392");
    expect(verdicts[4]!.overall).toBe("CRITICAL");
  });
});

describe("evaluate: many units", () => {
  // How fast this is lives in a benchmark (npm run bench:evaluate), not in a timed test.
  it("keeps 600 peer instances of one component UP over ten rounds", () => {
    const http = Array.from({ length: 600 }, (_, i) => ({ id: `app${i}`, component: "trading-engine", url: `http://127.0.0.1:${10000 + i}/health` }));
    const cfg = labConfig({ http });
    const obs = http.map((h) => ({ unitKey: `http:${h.id}`, kind: "http" as const, targetId: h.id, component: h.component, at: T0, result: { ok: true as const, latencyMs: 1, data: { statusCode: 200 } } }));
    let { state, verdict } = evaluate(cfg, obs, initialHealthState(), T0);
    for (let i = 1; i <= 10; i++) ({ state, verdict } = evaluate(cfg, obs.map((o) => ({ ...o, at: T0 + i * 1000 })), state, T0 + i * 1000));
    expect(verdict.units.filter((u) => u.kind === "http" && u.status === "UP")).toHaveLength(600);
  });
});

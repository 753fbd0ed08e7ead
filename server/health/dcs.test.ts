import { describe, expect, it } from "vitest";
import { dcsLossConsequence } from "./dcs";
import { evaluate, initialHealthState } from "./evaluate";
import { CLUSTER, T0, failed, healthy, labConfig, ok, patroni, patroniData, replace } from "./test-factories";
import type { HealthDataOf, Observation } from "./types";

/** The lab's config with the cluster's etcd named: the DCS unit counts towards the database. */
const base = labConfig();
const config = labConfig({
  clusters: [
    {
      id: CLUSTER,
      component: "database",
      maxLagSeconds: 5,
      nodes: base.clusters[0]!.nodes.map((n) => ({ name: n.name, rest: n.rest, dsn: n.dsn })),
      dcs: { endpoints: ["http://127.0.0.1:2479", "http://127.0.0.1:2481", "http://127.0.0.1:2483"] },
    },
  ],
});

type Member = { name: string; state: "healthy" | "down" | "no-leader" };
function etcdData(members: Member[]): HealthDataOf<"etcd"> {
  const endpoints = members.map((m, i) => ({
    endpoint: `127.0.0.1:${2479 + 2 * i}`,
    member: m.name,
    healthy: m.state === "down" ? null : m.state === "healthy",
    leader: m.state === "healthy" ? "etcd1" : null,
    errors: m.state === "no-leader" ? ["etcdserver: no leader"] : [],
    error: m.state === "down" ? "connection refused" : null,
  }));
  const healthyCount = endpoints.filter((e) => e.healthy).length;
  return {
    endpoints,
    members: members.map((m, i) => ({ name: m.name, clientUrls: [`http://127.0.0.1:${2479 + 2 * i}`] })),
    leader: healthyCount ? "etcd1" : null,
    raftTerm: 4,
    voters: 3,
    quorum: 2,
    healthy: healthyCount,
  };
}
const etcd = (states: Member["state"][], t = T0): Observation => {
  const data = etcdData(states.map((state, i) => ({ name: `etcd${i + 1}`, state })));
  return data.healthy
    ? ok("etcd", CLUSTER, data, { at: t, component: "database" })
    : failed("etcd", CLUSTER, "no etcd member is healthy (no leader, or no quorum)", { at: t, component: "database", data });
};
const withConfig = (dcs: { ttl: number; failsafeMode: boolean } | undefined, t = T0, lastSeen?: number) =>
  ok("patroni", CLUSTER, { ...patroniData("pg1"), answeredBy: "pg1", ...(dcs ? { dcsConfig: { ...dcs, loopWait: 2, retryTimeout: 4 } } : {}), ...(lastSeen !== undefined ? { dcsLastSeen: lastSeen } : {}) }, { at: t });

/** Healthy for 2 probes a second apart, then `fault` for 3 (the default `fall`): the verdict once confirmed. */
function verdictOf(fault: (t: number) => Observation[]) {
  let state = initialHealthState();
  let verdict = evaluate(config, [], state, T0).verdict;
  for (let i = 0; i < 5; i++) {
    const t = T0 + i * 1000;
    const obs = i < 2 ? replace(healthy(t), withConfig({ ttl: 10, failsafeMode: false }, t), etcd(["healthy", "healthy", "healthy"], t)) : fault(t);
    ({ verdict, state } = evaluate(config, obs, state, t + 10));
  }
  return verdict;
}
const database = (fault: (t: number) => Observation[]) => verdictOf(fault).components.find((c) => c.id === "database")!;

describe("the DCS as part of its Patroni cluster", () => {
  it("adds one etcd unit per cluster that names its DCS, in the database component", () => {
    const obs = (t: number) => replace(healthy(t), etcd(["healthy", "healthy", "healthy"], t));
    const v = verdictOf(obs);
    expect(v.overall).toBe("HEALTHY");
    expect(database(obs).unitKeys).toContain(`etcd:${CLUSTER}`);
    expect(v.units.find((u) => u.key === `etcd:${CLUSTER}`)?.reason).toBe("leader etcd1, 3 of 3 members healthy (quorum 2), raft term 4");
  });

  it("no quorum, failsafe_mode off: the database is DOWN, overall CRITICAL, with the consequence and Patroni's ttl", () => {
    const obs = (t: number) => replace(healthy(t), withConfig({ ttl: 10, failsafeMode: false }, t), etcd(["no-leader", "no-leader", "no-leader"], t));
    const v = verdictOf(obs);
    expect(v.overall).toBe("CRITICAL");
    expect(database(obs).status).toBe("DOWN");
    expect(v.reasons[0]).toBe(
      `Database (Primary) is DOWN: DCS ${CLUSTER}: etcd has no quorum: 3 of 3 members answer, none healthy (etcdserver: no leader). ` +
        "Patroni cannot renew the leader key; the leader will demote itself within ttl (10 s) unless failsafe_mode is on (it is off)",
    );
  });

  it("every endpoint unreachable is judged the same way: the DCS is lost", () => {
    const obs = (t: number) => replace(healthy(t), withConfig({ ttl: 30, failsafeMode: false }, t), etcd(["down", "down", "down"], t));
    const v = verdictOf(obs);
    expect(v.overall).toBe("CRITICAL");
    expect(v.reasons[0]).toContain("etcd unreachable: etcd1 (127.0.0.1:2479) connection refused");
    expect(v.reasons[0]).toContain("within ttl (30 s)");
  });

  it("failsafe_mode on: DEGRADED, saying the leader stays primary but nothing can fail over", () => {
    const obs = (t: number) => replace(healthy(t), withConfig({ ttl: 10, failsafeMode: true }, t), etcd(["down", "down", "down"], t));
    const v = verdictOf(obs);
    expect(v.overall).toBe("DEGRADED");
    expect(database(obs).status).toBe("DEGRADED");
    expect(v.reasons[0]).toContain("failsafe_mode is on: the leader stays primary while every Patroni member answers its REST API");
  });

  it("without Patroni's /config (never read) it still says the leader will demote itself, with ttl unknown", () => {
    const obs = (t: number) => replace(healthy(t), patroni("pg1", { at: t }), etcd(["down", "down", "down"], t));
    expect(verdictOf(obs).reasons[0]).toContain("within ttl (unknown: Patroni's /config has not been read) unless failsafe_mode is on");
  });

  it("one member down with quorum kept: DEGRADED, naming the member; overall DEGRADED, not CRITICAL", () => {
    const obs = (t: number) => replace(healthy(t), etcd(["healthy", "healthy", "down"], t));
    const v = verdictOf(obs);
    expect(v.overall).toBe("DEGRADED");
    expect(database(obs).reasons).toEqual([
      `DCS ${CLUSTER} is DEGRADED: member etcd3 (127.0.0.1:2483) does not answer (connection refused); quorum kept: leader etcd1, 2 of 3 members healthy (quorum 2), raft term 4`,
    ]);
  });

  it("a DCS loss waits for hysteresis like any unit: suspected first, confirmed after `fall` probes", () => {
    let state = initialHealthState();
    const reasons: string[][] = [];
    for (let i = 0; i < 5; i++) {
      const t = T0 + i * 1000;
      const obs = i < 2 ? replace(healthy(t), etcd(["healthy", "healthy", "healthy"], t)) : replace(healthy(t), etcd(["down", "down", "down"], t));
      const r = evaluate(config, obs, state, t + 10);
      state = r.state;
      reasons.push([r.verdict.overall, ...r.verdict.reasons.slice(0, 1)]);
    }
    expect(reasons.map((r) => r[0])).toEqual(["HEALTHY", "HEALTHY", "HEALTHY", "HEALTHY", "CRITICAL"]);
    expect(reasons[2]![1]).toMatch(/^Database \(Primary\) may become DOWN \(1\/3\)/);
  });
});

describe("Patroni's own dcs_last_seen", () => {
  it("a DCS the dashboard reaches but Patroni does not: DOWN once Patroni has not read it for longer than loop_wait + retry_timeout", () => {
    // Patroni last read the DCS 2 s before each probe: normal (loop_wait 2).
    const fresh = (t: number) => replace(healthy(t), withConfig({ ttl: 10, failsafeMode: false }, t, Math.floor(t / 1000) - 2), etcd(["healthy", "healthy", "healthy"], t));
    expect(verdictOf(fresh).overall).toBe("HEALTHY");
    // Stuck since T0 - 10 s: 12, 13 and 14 s at the faulty probes, over 2 + 4 + 1.
    const stuck = (t: number) => replace(healthy(t), withConfig({ ttl: 10, failsafeMode: false }, t, T0 / 1000 - 10), etcd(["healthy", "healthy", "healthy"], t));
    const v = verdictOf(stuck);
    expect(v.overall).toBe("CRITICAL");
    expect(v.reasons[0]).toContain("Patroni on pg1 last reached the DCS 14 s ago. Patroni cannot renew the leader key; the leader will demote itself within ttl (10 s)");
  });

  it("with failsafe_mode on the same evidence only degrades", () => {
    const stuck = (t: number) => replace(healthy(t), withConfig({ ttl: 10, failsafeMode: true }, t, T0 / 1000 - 30), etcd(["healthy", "healthy", "healthy"], t));
    const v = verdictOf(stuck);
    expect(v.overall).toBe("DEGRADED");
    expect(v.reasons[0]).toContain("failsafe_mode is on");
  });
});

describe("dcsLossConsequence", () => {
  it("is DOWN without failsafe_mode, DEGRADED with it", () => {
    expect(dcsLossConsequence({ ttl: 10, failsafeMode: false }).status).toBe("DOWN");
    expect(dcsLossConsequence(undefined).status).toBe("DOWN");
    expect(dcsLossConsequence({ ttl: 10, failsafeMode: true }).status).toBe("DEGRADED");
  });
});

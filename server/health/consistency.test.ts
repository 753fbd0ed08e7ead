import { describe, expect, it } from "vitest";
import {
  checkConsistency, checkHaproxyWriteTarget, checkLeaderInRecovery, checkMultiplePrimaries, checkOrphanPrimary, checkRedisMasters,
  checkSentinelAgreement, checkVipAnswer, checkVrrpDuplicateVip, checkVrrpSplitBrain, type ConsistencyInput,
} from "./consistency";
import { clusterTopology } from "./units";
import {
  T0, at, failed, haproxy, healthy, labConfig, ok, patroni, patroniData, pgPrimary, pgStandby, redis, replace, sentinelData, server, vrrp,
} from "./test-factories";
import type { Observation } from "./types";

const clusters = clusterTopology(labConfig());
const input = (observations: Observation[], now = T0, maxAgeMs = 2000): ConsistencyInput => ({ observations, now, maxAgeMs, clusters });

describe("consistency: a healthy topology", () => {
  it("produces zero findings", () => {
    expect(checkConsistency(input(healthy()))).toEqual([]);
  });
  it("after a switchover to pg3, with HAProxy following, still zero", () => {
    const obs = replace(healthy(), patroni("pg3"), pgStandby("pg1"), pgPrimary("pg3"), haproxy("pg3"));
    expect(checkConsistency(input(obs))).toEqual([]);
  });
});

describe("duplicate VIP: a keepalived that stopped as MASTER while a peer took over", () => {
  const silentMaster = { errors: { ka1: "keepalived not reporting (last heartbeat 4.2 s ago; last state MASTER)" }, lastStates: { ka1: "MASTER" }, silent: ["ka1"] };
  it("fires CRITICAL, naming the silent node, the VIP and the new holder", () => {
    const [f, ...rest] = checkVrrpDuplicateVip(input([vrrp({ ka1: "UNKNOWN", ka2: "MASTER" }, silentMaster)]));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ id: "duplicate-vip:vi-trading/ka1", severity: "CRITICAL", subjects: ["vrrp:vi-trading"] });
    expect(f!.title).toBe("Possible duplicate VIP: ka1's keepalived stopped as MASTER; its VIP 10.77.0.100 may still be configured there while ka2 holds it");
    expect(f!.explanation).toContain("last heartbeat 4.2 s ago");
    expect(checkConsistency(input([vrrp({ ka1: "UNKNOWN", ka2: "MASTER" }, silentMaster)])).map((x) => x.id)).toEqual(["duplicate-vip:vi-trading/ka1"]);
  });
  it("says who the VIP answers as, when probed", () => {
    const [f] = checkVrrpDuplicateVip(input([vrrp({ ka1: "UNKNOWN", ka2: "MASTER" }, { ...silentMaster, vipAnswer: { node: "ka2", answer: "ka2", error: null, latencyMs: 2 } })]));
    expect(f!.explanation).toContain("The VIP currently answers as ka2.");
  });
  it("not after a clean stop: keepalived said STOP (or BACKUP) before going silent", () => {
    for (const last of ["STOP", "BACKUP", "FAULT"]) {
      expect(checkVrrpDuplicateVip(input([vrrp({ ka1: "UNKNOWN", ka2: "MASTER" }, { ...silentMaster, lastStates: { ka1: last } })])), last).toEqual([]);
    }
  });
  it("not in a normal failover: both nodes reporting, one MASTER", () => {
    expect(checkVrrpDuplicateVip(input([vrrp({ ka1: "BACKUP", ka2: "MASTER" })]))).toEqual([]);
    expect(checkConsistency(input([vrrp({ ka1: "BACKUP", ka2: "MASTER" })]))).toEqual([]);
  });
  it("not while no peer is MASTER (the VIP is not held elsewhere: that is the DOWN verdict)", () => {
    expect(checkVrrpDuplicateVip(input([vrrp({ ka1: "UNKNOWN", ka2: "BACKUP" }, silentMaster)]))).toEqual([]);
  });
  it("not for an unreadable state file while keepalived still reports (not silent)", () => {
    expect(checkVrrpDuplicateVip(input([vrrp({ ka1: "UNKNOWN", ka2: "MASTER" }, { lastStates: { ka1: "MASTER" }, errors: { ka1: "state file is not JSON" } })]))).toEqual([]);
  });
  it("ignores a stale observation", () => {
    expect(checkVrrpDuplicateVip(input([vrrp({ ka1: "UNKNOWN", ka2: "MASTER" }, { ...silentMaster, at: T0 - 5000 })]))).toEqual([]);
  });
});

describe("who answers on the VIP disagrees with keepalived's MASTER", () => {
  const answer = (node: string | null, text: string | null = node) => ({ vipAnswer: { node, answer: text, error: text ? null : "connection refused", latencyMs: 3 } });
  it("fires when another node answers", () => {
    const [f] = checkVipAnswer(input([vrrp({ ka1: "MASTER", ka2: "BACKUP" }, answer("ka2"))]));
    expect(f).toMatchObject({ id: "vip-answer:vi-trading", severity: "CRITICAL", subjects: ["vrrp:vi-trading"] });
    expect(f!.title).toBe("VIP 10.77.0.100 answered by ka2, but keepalived's MASTER for VI_TRADING is ka1");
  });
  it("fires when a host that is no node of the instance answers", () => {
    const [f] = checkVipAnswer(input([vrrp({ ka1: "MASTER", ka2: "BACKUP" }, answer(null, "lb9.example"))]));
    expect(f!.title).toContain('answered by "lb9.example" (no node of VI_TRADING)');
  });
  it("not when the MASTER answers, nothing answers, or there is no single MASTER", () => {
    expect(checkVipAnswer(input([vrrp({ ka1: "MASTER", ka2: "BACKUP" }, answer("ka1"))]))).toEqual([]);
    expect(checkVipAnswer(input([vrrp({ ka1: "MASTER", ka2: "BACKUP" }, answer(null, null))]))).toEqual([]);
    expect(checkVipAnswer(input([vrrp({ ka1: "MASTER", ka2: "MASTER" }, answer("ka2"))]))).toEqual([]);
    expect(checkVipAnswer(input([vrrp({ ka1: "BACKUP", ka2: "BACKUP" }, answer("ka2"))]))).toEqual([]);
    expect(checkVipAnswer(input([vrrp()]))).toEqual([]);
  });
  it("ignores a stale observation", () => {
    expect(checkVipAnswer(input([vrrp({ ka1: "MASTER", ka2: "BACKUP" }, { ...answer("ka2"), at: T0 - 5000 })]))).toEqual([]);
  });
});

describe("split brain: two VRRP MASTERs", () => {
  it("fires, naming both nodes and the instance", () => {
    const [f] = checkVrrpSplitBrain(input([vrrp({ ka1: "MASTER", ka2: "MASTER" })]));
    expect(f).toMatchObject({ id: "split-brain:vi-trading", severity: "CRITICAL", subjects: ["vrrp:vi-trading"] });
    expect(f!.title).toContain("ka1 and ka2");
    expect(f!.explanation).toContain("VI_TRADING");
    expect(f!.explanation).toContain("10.77.0.100");
  });
  it("does not fire for one MASTER", () => {
    expect(checkVrrpSplitBrain(input([vrrp()]))).toEqual([]);
  });
  it("ignores a stale observation", () => {
    expect(checkVrrpSplitBrain(input([vrrp({ ka1: "MASTER", ka2: "MASTER" }, { at: T0 - 5000 })]))).toEqual([]);
  });
});

describe("HAProxy read-write backend UP on a node that is not the leader", () => {
  it("fires when pg_rw routes to pg2 while Patroni's leader is pg1", () => {
    const obs = [patroni("pg1"), haproxy("pg2")];
    const [f] = checkHaproxyWriteTarget(input(obs));
    expect(f).toMatchObject({ id: "haproxy-writes-not-leader:haproxy/pg_rw", severity: "CRITICAL" });
    expect(f!.title).toContain("to pg2, not the leader pg1");
    expect(f!.explanation).toContain("pg_rw");
    expect(f!.subjects).toEqual(["haproxy:haproxy", "patroni:labcluster", "postgres:labcluster/pg2"]);
  });
  it("fires while two servers are UP (the switchover overlap; the evaluator holds it as a warning)", () => {
    const [f] = checkHaproxyWriteTarget(input([patroni("pg3"), haproxy("pg1", { rw: { pg3: "UP" } })]));
    expect(f!.title).toContain("to pg1, not the leader pg3");
  });
  it("does not fire when pg_rw routes to the leader; the read-only backend is never the write path", () => {
    expect(checkHaproxyWriteTarget(input([patroni("pg1"), haproxy("pg1")]))).toEqual([]);
  });
  it("maps servers by name when addresses differ from the DSNs", () => {
    const d = { proxies: [{ name: "postgres", servers: [server("pg1", "DOWN", "10.0.0.1:5432"), server("pg2", "UP", "10.0.0.2:5432")] }] };
    expect(checkHaproxyWriteTarget(input([patroni("pg1"), ok("haproxy", "haproxy", d)]))).toHaveLength(1);
  });
  it("maps servers by Patroni's member host:port", () => {
    const d = { proxies: [{ name: "pg_primary", servers: [server("a", "UP", "127.0.0.1:5442"), server("b", "DOWN", "127.0.0.1:5441")] }] };
    const [f] = checkHaproxyWriteTarget({ ...input([patroni("pg1"), ok("haproxy", "haproxy", d)]), clusters: [] });
    expect(f!.explanation).toContain("a (pg2)");
  });
  it("ignores backends that map to no PostgreSQL node, and stale data", () => {
    expect(checkHaproxyWriteTarget(input([patroni("pg1"), haproxy("pg2", { at: T0 - 3000 })]))).toEqual([]);
    const d = { proxies: [{ name: "trading", servers: [server("te1", "UP", "127.0.0.1:5551")] }] };
    expect(checkHaproxyWriteTarget(input([patroni("pg1"), ok("haproxy", "haproxy", d)]))).toEqual([]);
  });
});

describe("Patroni leader in recovery", () => {
  it("fires when the leader's PostgreSQL says pg_is_in_recovery() = true", () => {
    const [f] = checkLeaderInRecovery(input([patroni("pg1"), pgStandby("pg1")]));
    expect(f).toMatchObject({ id: "leader-in-recovery:labcluster", subjects: ["patroni:labcluster", "postgres:labcluster/pg1"] });
    expect(f!.explanation).toContain("pg_is_in_recovery() = true");
    expect(f!.title).toContain("pg1");
  });
  it("does not fire for a writable leader, a missing answer, or a stale one", () => {
    expect(checkLeaderInRecovery(input([patroni("pg1"), pgPrimary("pg1")]))).toEqual([]);
    expect(checkLeaderInRecovery(input([patroni("pg1"), failed("postgres", "labcluster", "refused", { node: "pg1" })]))).toEqual([]);
    expect(checkLeaderInRecovery(input([patroni("pg1"), pgStandby("pg1", { at: T0 - 2001 })]))).toEqual([]);
  });
  it("a standby cluster's standby_leader is in recovery by design", () => {
    const d = patroniData("pg1");
    d.members[0]!.role = "standby_leader";
    expect(checkLeaderInRecovery(input([ok("patroni", "labcluster", d), pgStandby("pg1")]))).toEqual([]);
  });
});

describe("more than one primary", () => {
  it("fires when two nodes are not in recovery", () => {
    const [f] = checkMultiplePrimaries(input([pgPrimary("pg1"), pgPrimary("pg2"), pgStandby("pg3")]));
    expect(f).toMatchObject({ id: "multiple-primaries:labcluster", subjects: ["postgres:labcluster/pg1", "postgres:labcluster/pg2"] });
    expect(f!.title).toBe("pg1 and pg2 all accept writes in labcluster");
  });
  it("does not fire for one primary, nor when the old primary's answer is stale", () => {
    expect(checkMultiplePrimaries(input([pgPrimary("pg1"), pgStandby("pg2")]))).toEqual([]);
    expect(checkMultiplePrimaries(input([pgPrimary("pg1", { at: T0 - 3000 }), pgPrimary("pg2")]))).toEqual([]);
  });
});

describe("orphan primary", () => {
  it("fires for a writable node Patroni does not list as leader (Patroni killed, no watchdog)", () => {
    const obs = [patroni("pg2", { nodes: ["pg2", "pg3"] }), pgPrimary("pg1"), pgPrimary("pg2"), pgStandby("pg3")];
    const [f] = checkOrphanPrimary(input(obs));
    expect(f).toMatchObject({ id: "orphan-primary:labcluster/pg1", subjects: ["postgres:labcluster/pg1", "patroni:labcluster"] });
    expect(f!.explanation).toContain("watchdog");
    expect(f!.explanation).toContain("names pg2 the leader");
  });
  it("fires when Patroni has no leader at all but a node is writable", () => {
    const obs = [failed("patroni", "labcluster", "no leader", { data: patroniData(null) }), pgPrimary("pg1")];
    expect(checkOrphanPrimary(input(obs))[0]!.explanation).toContain("has no leader");
  });
  it("does not fire for the leader, nor without a fresh Patroni view", () => {
    expect(checkOrphanPrimary(input([patroni("pg1"), pgPrimary("pg1")]))).toEqual([]);
    expect(checkOrphanPrimary(input([patroni("pg2", { at: T0 - 2500 }), pgPrimary("pg1")]))).toEqual([]);
    expect(checkOrphanPrimary(input([failed("patroni", "labcluster", "no Patroni node answered"), pgPrimary("pg1")]))).toEqual([]);
  });
});

describe("sentinels disagree", () => {
  it("fires, listing each sentinel's master", () => {
    const obs = [ok("sentinel", "labredis", sentinelData(["127.0.0.1:6391", "127.0.0.1:6392", "127.0.0.1:6392"]))];
    const [f] = checkSentinelAgreement(input(obs));
    expect(f).toMatchObject({ id: "sentinels-disagree:labredis", subjects: ["sentinel:labredis"] });
    expect(f!.explanation).toContain("127.0.0.1:26391 names 127.0.0.1:6391");
    expect(f!.explanation).toContain("127.0.0.1:26393 names 127.0.0.1:6392");
  });
  it("does not fire when they agree, or when one is silent", () => {
    expect(checkSentinelAgreement(input([ok("sentinel", "labredis", sentinelData(["a:1", "a:1", "a:1"]))]))).toEqual([]);
    expect(checkSentinelAgreement(input([ok("sentinel", "labredis", sentinelData(["a:1", "a:1", "a:1"], { down: [1] }))]))).toEqual([]);
  });
});

describe("two Redis masters", () => {
  it("fires for two role:master instances of one component, naming Sentinel's choice", () => {
    const obs = [redis("redis1"), redis("redis2"), ok("sentinel", "labredis", sentinelData(["127.0.0.1:6392", "127.0.0.1:6392", "127.0.0.1:6392"]))];
    const [f] = checkRedisMasters(input(obs));
    expect(f).toMatchObject({ id: "redis-masters:cache", subjects: ["redis:redis1", "redis:redis2"] });
    expect(f!.title).toBe("redis1 and redis2 are all Redis masters at once");
    expect(f!.explanation).toContain("names 127.0.0.1:6392");
    expect(f!.explanation).toContain("10 s");
  });
  it("does not fire for master + replica, across components, or with a stale old master", () => {
    expect(checkRedisMasters(input([redis("redis1"), redis("redis2", { role: "slave" })]))).toEqual([]);
    expect(checkRedisMasters(input([redis("redis1"), redis("sessions", { component: "sessions" })]))).toEqual([]);
    expect(checkRedisMasters(input([redis("redis1", { at: T0 - 2500 }), redis("redis2")]))).toEqual([]);
  });
});

describe("checkConsistency", () => {
  it("runs every check, ordered by id, with a per-observation max age", () => {
    const obs = replace(healthy(), vrrp({ ka1: "MASTER", ka2: "MASTER" }), redis("redis2"), at(pgPrimary("pg2"), T0 - 5000));
    const fs = checkConsistency({ ...input(obs), maxAgeMs: (o) => (o.kind === "postgres" ? 10_000 : 2000) });
    expect(fs.map((f) => f.id)).toEqual(["multiple-primaries:labcluster", "orphan-primary:labcluster/pg2", "redis-masters:cache", "split-brain:vi-trading"]);
    expect(checkConsistency(input(obs)).map((f) => f.id)).toEqual(["redis-masters:cache", "split-brain:vi-trading"]);
  });
});

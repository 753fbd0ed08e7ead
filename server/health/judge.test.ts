import { describe, expect, it } from "vitest";
import { judge } from "./verdict";
import { DEFAULT_JUDGE_OPTIONS, type JudgeOptions } from "./topology";
import {
  failed, haproxy, haproxyData, http, market, ok, patroni, patroniData, pgPrimary, pgStandby, redis, sentinel, sentinelData, server, tcp, vrrp,
} from "./test-factories";

const opts = (o: Partial<JudgeOptions> = {}): JudgeOptions => ({ ...DEFAULT_JUDGE_OPTIONS, ...o });
const dbNodes = [1, 2, 3].map((i) => ({ name: `pg${i}`, address: `127.0.0.1:544${i}` }));

describe("judge: postgres (seed: lag > 5 s → DEGRADED)", () => {
  it("a primary is UP", () => {
    expect(judge(pgPrimary("pg1", { standbys: ["pg2", "pg3"] }))).toEqual({ status: "UP", reason: "primary (not in recovery), 2 standbys streaming" });
  });
  it("a caught-up standby of an idle primary is UP (lag 0, not now() - last replay)", () => {
    expect(judge(pgStandby("pg2", { lagSeconds: 0 })).status).toBe("UP");
  });
  it("lag of exactly 5 s is UP, above 5 s DEGRADED", () => {
    expect(judge(pgStandby("pg2", { lagSeconds: 5 })).status).toBe("UP");
    const j = judge(pgStandby("pg2", { lagSeconds: 7.25 }));
    expect(j.status).toBe("DEGRADED");
    expect(j.reason).toContain("replay lag 7.3 s exceeds 5 s");
  });
  it("the cluster's maxLagSeconds replaces the seed's 5 s", () => {
    expect(judge(pgStandby("pg2", { lagSeconds: 7 }), opts({ maxLagSeconds: 10 })).status).toBe("UP");
    expect(judge(pgStandby("pg2", { lagSeconds: 2 }), opts({ maxLagSeconds: 1 })).status).toBe("DEGRADED");
  });
  it("unknown lag is not judged", () => {
    expect(judge(pgStandby("pg2", { lagSeconds: null })).status).toBe("UP");
  });
  it("paused replay and a stopped WAL receiver are DEGRADED", () => {
    expect(judge(pgStandby("pg2", { paused: true })).reason).toContain("WAL replay is paused");
    const j = judge(pgStandby("pg3", { receiver: null }));
    expect(j).toEqual({ status: "DEGRADED", reason: "standby is not streaming from the primary (WAL receiver not running)" });
  });
  it("an unreachable node is DOWN with the collector's reason", () => {
    const j = judge(failed("postgres", "labcluster", "connection refused", { node: "pg1" }));
    expect(j).toEqual({ status: "DOWN", reason: "PostgreSQL does not answer: connection refused" });
  });
});

describe("judge: patroni", () => {
  it("a leader and running members is UP", () => {
    expect(judge(patroni("pg1"))).toEqual({ status: "UP", reason: "leader pg1, 3 members" });
  });
  it("no leader is DOWN", () => {
    const j = judge(failed("patroni", "labcluster", "no leader (cluster view from pg2)", { data: patroniData(null) }));
    expect(j).toEqual({ status: "DOWN", reason: "no leader (cluster view from pg2)" });
    expect(judge(ok("patroni", "labcluster", patroniData(null))).status).toBe("DOWN");
  });
  it("no Patroni answering is DOWN", () => {
    expect(judge(failed("patroni", "labcluster", "no Patroni node answered: pg1: connection refused")).reason).toContain("REST API unreachable");
  });
  it("maintenance mode is DEGRADED", () => {
    const j = judge(patroni("pg1", { paused: true }));
    expect(j.status).toBe("DEGRADED");
    expect(j.reason).toContain("paused");
  });
  it("a stopped member or a silent REST API is DEGRADED, naming the member", () => {
    expect(judge(patroni("pg1", { states: { pg3: "stopped" } })).reason).toBe("member pg3 is stopped");
    expect(judge(patroni("pg2", { unanswered: [{ node: "pg1", error: "connection refused" }] })).reason).toContain("on pg1 does not answer");
  });
});

describe("judge: patroni, synchronous mode and the leader's own Patroni", () => {
  const cfg = { ttl: 10, loopWait: 2, retryTimeout: 4, failsafeMode: false };
  const withSync = (roles: Record<string, string>, synchronousMode: "off" | "on" | "quorum", synchronousModeStrict = false) => {
    const d = patroniData("pg1");
    return ok("patroni", "labcluster", {
      ...d,
      members: d.members.map((m) => ({ ...m, role: roles[m.name] ?? m.role })),
      dcsConfig: { ...cfg, synchronousMode, synchronousModeStrict },
    });
  };
  it("synchronous_mode on with a sync standby named is UP; with none named, DEGRADED saying what it costs", () => {
    expect(judge(withSync({ pg2: "sync_standby" }, "on")).status).toBe("UP");
    const j = judge(withSync({}, "on"));
    expect(j).toEqual({ status: "DEGRADED", reason: "synchronous_mode is on but no member is a synchronous standby: commits are not confirmed by any standby" });
    expect(judge(withSync({}, "on", true)).reason).toContain("writes block until one is named");
  });
  it("synchronous_mode off, or a leader alone, asks for no sync standby", () => {
    expect(judge(withSync({}, "off")).status).toBe("UP");
    const alone = patroniData("pg1", { nodes: ["pg1"] });
    expect(judge(ok("patroni", "labcluster", { ...alone, dcsConfig: { ...cfg, synchronousMode: "on", synchronousModeStrict: false } })).status).toBe("UP");
  });
  it("the leader's Patroni not answering says what it does to writes and when Patroni acts", () => {
    const d = patroniData("pg1", { unanswered: [{ node: "pg1", error: "connection refused" }] });
    const j = judge(ok("patroni", "labcluster", { ...d, dcsConfig: { ...cfg, synchronousMode: "off" } }));
    expect(j.status).toBe("DEGRADED");
    expect(j.reason).toContain("Patroni on the leader pg1 does not answer (connection refused)");
    expect(j.reason).toContain("leader key expires (ttl 10 s)");
  });
});

describe("judge: sentinel", () => {
  it("agreeing sentinels are UP", () => {
    expect(judge(sentinel())).toEqual({ status: "UP", reason: "master 127.0.0.1:6391, 3 sentinels agree" });
  });
  it("no master named is DOWN", () => {
    const d = sentinelData([null, null, null], { down: [0, 1, 2] });
    expect(judge(failed("sentinel", "labredis", "no sentinel named a master", { data: d })).status).toBe("DOWN");
  });
  it("disagreement is DEGRADED and lists each view", () => {
    const j = judge(ok("sentinel", "labredis", sentinelData(["127.0.0.1:6391", "127.0.0.1:6392", "127.0.0.1:6392"])));
    expect(j.status).toBe("DEGRADED");
    expect(j.reason).toContain("127.0.0.1:26391 says 127.0.0.1:6391");
  });
  it("s_down / o_down flags on the master are DEGRADED, naming the sentinel", () => {
    const j = judge(sentinel("127.0.0.1:6391", { flags: [["master", "s_down"], ["master"], ["master"]] }));
    expect(j).toEqual({ status: "DEGRADED", reason: "127.0.0.1:26391 flags the master s_down" });
    expect(judge(sentinel("127.0.0.1:6391", { flags: [["master", "s_down", "o_down"], ["master"], ["master"]] })).reason).toContain("s_down,o_down");
  });
  it("a silent sentinel is DEGRADED; below quorum says so", () => {
    expect(judge(sentinel("127.0.0.1:6391", { down: [2] })).reason).toBe("127.0.0.1:26393 does not answer");
    expect(judge(sentinel("127.0.0.1:6391", { down: [1, 2] })).reason).toContain("below quorum 2");
  });
  it("a failing CKQUORUM is DEGRADED", () => {
    const d = { ...sentinelData(["a:1", "a:1", "a:1"]), quorumOk: false };
    expect(judge(ok("sentinel", "labredis", d)).reason).toContain("CKQUORUM");
  });
});

describe("judge: redis (seed: memory > 90% → DEGRADED)", () => {
  it("a master under the limit is UP", () => {
    expect(judge(redis("redis1", { used: 89, max: 100 })).status).toBe("UP");
  });
  it("memory above 90% of maxmemory is DEGRADED; exactly 90% is not", () => {
    expect(judge(redis("redis1", { used: 90, max: 100 })).status).toBe("UP");
    expect(judge(redis("redis1", { used: 91, max: 100 }))).toEqual({ status: "DEGRADED", reason: "memory 91% of maxmemory exceeds 90%" });
  });
  it("maxmemory 0 means no limit", () => {
    expect(judge(redis("redis1", { used: 10 ** 12, max: 0 })).status).toBe("UP");
  });
  it("the instance's maxMemoryRatio replaces 0.9", () => {
    expect(judge(redis("redis1", { used: 80, max: 100 }), opts({ maxMemoryRatio: 0.75 })).status).toBe("DEGRADED");
  });
  it("a replica whose master link is down is DEGRADED", () => {
    expect(judge(redis("redis2", { role: "slave" })).status).toBe("UP");
    expect(judge(redis("redis2", { role: "slave", link: "down" }))).toEqual({
      status: "DEGRADED",
      reason: "replica's link to its master 127.0.0.1:6391 is down",
    });
  });
  it("unreachable is DOWN", () => {
    expect(judge(failed("redis", "redis1", "connection refused")).status).toBe("DOWN");
  });
});

describe("judge: market data (seed: > 5 s → STALE, missing → NO_DATA)", () => {
  it("fresh is UP, exactly 5 s is UP", () => {
    expect(judge(market(0.3)).status).toBe("UP");
    expect(judge(market(5)).status).toBe("UP");
  });
  it("older than maxAgeSeconds is STALE", () => {
    expect(judge(market(7))).toEqual({ status: "STALE", reason: "market data is 7 s old, limit 5 s" });
    expect(judge(market(7), opts({ maxAgeSeconds: 10 })).status).toBe("UP");
  });
  it("a missing key is NO_DATA", () => {
    expect(judge(market(null))).toEqual({ status: "NO_DATA", reason: "no market data: key last_market_update is missing" });
  });
  it("a failed read is DOWN", () => {
    expect(judge(failed("marketdata", "market-data", "connection refused")).status).toBe("DOWN");
  });
  it("a timestamp far in the future is DEGRADED (clock skew)", () => {
    expect(judge(market(-30)).status).toBe("DEGRADED");
  });
});

describe("judge: haproxy", () => {
  const withDb = opts({ databaseNodes: dbNodes });
  it("the lab's layout is UP: DOWN servers of role-routed backends are by design", () => {
    expect(judge(haproxy("pg1"), withDb)).toEqual({ status: "UP", reason: "3 backends with servers UP" });
  });
  it("a DOWN server of an ordinary backend is DEGRADED", () => {
    const j = judge(haproxy("pg1", { trading: [server("te1", "UP"), server("te2", "DOWN")] }), withDb);
    expect(j).toEqual({ status: "DEGRADED", reason: "trading/te2 is DOWN" });
  });
  it("a server failing its checks (UP 1/3) is DEGRADED, even in a role-routed backend", () => {
    const j = judge(haproxy("pg1", { rw: { pg1: "UP 1/3" } }), withDb);
    expect(j).toEqual({ status: "DEGRADED", reason: "pg_rw/pg1 is failing its checks (UP 1/3)" });
  });
  it("a backend with no server UP is DEGRADED, naming it", () => {
    const j = judge(haproxy("pg1", { rw: { pg1: "DOWN" } }), withDb);
    expect(j).toEqual({ status: "DEGRADED", reason: "backend pg_rw has no server UP" });
  });
  it("no backend with a server UP is DOWN", () => {
    const d = { proxies: [{ name: "pg_rw", servers: [server("pg1", "DOWN")] }, { name: "trading", servers: [server("te1", "MAINT")] }] };
    expect(judge(ok("haproxy", "haproxy", d), withDb)).toEqual({ status: "DOWN", reason: "no backend has a server UP (pg_rw and trading)" });
  });
  it("without database nodes every DOWN server counts", () => {
    expect(judge(haproxy("pg1")).status).toBe("DEGRADED");
  });
  it("unreachable stats are DOWN", () => {
    expect(judge(failed("haproxy", "haproxy", "connection refused")).reason).toBe("HAProxy stats unreachable: connection refused");
  });
  it("the data is what the collector parses", () => {
    expect(haproxyData("pg2").proxies.find((p) => p.name === "pg_rw")!.servers.filter((s) => s.status === "UP").map((s) => s.name)).toEqual(["pg2"]);
  });
});

describe("judge: vrrp", () => {
  it("one MASTER is UP", () => {
    expect(judge(vrrp())).toEqual({ status: "UP", reason: "ka1 is MASTER for VI_TRADING" });
  });
  it("no MASTER is DOWN: the VIP is not held", () => {
    const j = judge(vrrp({ ka1: "BACKUP", ka2: "FAULT" }));
    expect(j).toEqual({ status: "DOWN", reason: "no node is MASTER for VI_TRADING: VIP 10.77.0.100 is not held" });
  });
  it("a FAULT node is DEGRADED", () => {
    expect(judge(vrrp({ ka1: "MASTER", ka2: "FAULT" }))).toEqual({ status: "DEGRADED", reason: "ka2 is in FAULT: no standby for VI_TRADING" });
  });
  it("two MASTERs are DEGRADED here (the split-brain finding makes it critical)", () => {
    expect(judge(vrrp({ ka1: "MASTER", ka2: "MASTER" })).reason).toContain("split brain: ka1 and ka2");
  });
  it("every node UNKNOWN is NO_DATA", () => {
    expect(judge(vrrp({ ka1: "UNKNOWN", ka2: "UNKNOWN" })).status).toBe("NO_DATA");
  });
  it("the VIP's identity probe: the MASTER answering is UP; another node, a stranger or no answer is DEGRADED", () => {
    const answer = (node: string | null, text: string | null = node) => ({ vipAnswer: { node, answer: text, error: text ? null : "connection refused (asking the VIP who it is)", latencyMs: 3 } });
    expect(judge(vrrp(undefined, answer("ka1")))).toEqual({ status: "UP", reason: "ka1 is MASTER for VI_TRADING, the VIP answers as ka1" });
    expect(judge(vrrp(undefined, answer("ka2")))).toEqual({ status: "DEGRADED", reason: "VIP 10.77.0.100 answered by ka2, not by the MASTER ka1" });
    expect(judge(vrrp(undefined, answer(null, "web7")))).toEqual({ status: "DEGRADED", reason: 'VIP 10.77.0.100 answered by "web7", not a node of VI_TRADING' });
    expect(judge(vrrp(undefined, answer(null, null)))).toEqual({ status: "DEGRADED", reason: "VIP 10.77.0.100 does not answer the identity probe (connection refused (asking the VIP who it is))" });
  });
});

describe("judge: http and tcp", () => {
  it("HTTP 200 is UP, anything else DOWN", () => {
    expect(judge(http("te1-health"))).toEqual({ status: "UP", reason: "HTTP 200" });
    expect(judge(http("te1-health", 503))).toEqual({ status: "DOWN", reason: "HTTP 503, expected 200" });
    expect(judge(failed("http", "te1-health", "connection refused")).reason).toBe("connection refused");
  });
  it("expectStatus comes from the target", () => {
    expect(judge(ok("http", "x", { statusCode: 204 }), opts({ expectStatus: 204 })).status).toBe("UP");
    expect(judge(ok("http", "x", { statusCode: 200 }), opts({ expectStatus: 204 })).status).toBe("DOWN");
  });
  it("TCP PING/PONG: answered is UP, failed is DOWN", () => {
    expect(judge(tcp("te1-tcp")).status).toBe("UP");
    expect(judge(failed("tcp", "te1-tcp", 'expected "PONG", got "ERR"'))).toEqual({ status: "DOWN", reason: 'expected "PONG", got "ERR"' });
  });
});

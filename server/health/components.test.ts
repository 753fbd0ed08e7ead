import { describe, expect, it } from "vitest";
import type { Finding, HealthKind, Suspect } from "@/lib/health";
import type { Status } from "@/lib/status";
import { rollupComponent, worst, type RollupUnit } from "./components";
import { patroniData, sentinelData } from "./test-factories";

const DB = { id: "database", name: "Database (Primary)", layer: "data", sla: 99.99 };
const CACHE = { id: "cache", name: "Cache Layer", layer: "data", sla: 99.99 };
const TE = { id: "trading-engine", name: "Trading Engine", layer: "application", sla: 99.995 };
const LB = { id: "load-balancer", name: "Load Balancer", layer: "network", sla: 99.995 };

function unit(
  kind: HealthKind,
  targetId: string,
  status: Status,
  o: { node?: string; reason?: string; suspect?: Partial<Suspect> & { status: Status }; data?: unknown; address?: string } = {},
): RollupUnit {
  return {
    health: {
      key: o.node ? `${kind}:${targetId}/${o.node}` : `${kind}:${targetId}`,
      kind,
      targetId,
      ...(o.node ? { node: o.node } : {}),
      component: "x",
      status,
      raw: o.suspect?.status ?? status,
      suspect: o.suspect ? { count: 1, needed: 3, reason: `${o.suspect.status.toLowerCase()} reason`, ...o.suspect } : null,
      since: 0,
      reason: o.reason ?? `${status.toLowerCase()} reason`,
      latencyMs: 1,
      lastProbeAt: 0,
    },
    address: o.address ?? null,
    data: o.data,
  };
}

const pg = (node: string, status: Status, o: Parameters<typeof unit>[3] = {}) => unit("postgres", "labcluster", status, { ...o, node });
const patroniUnit = (status: Status, leader: string | null = "pg1") => unit("patroni", "labcluster", status, { data: patroniData(leader) });
const cluster = (p: RollupUnit, ...nodes: RollupUnit[]) => rollupComponent(DB, [p, ...nodes]);

describe("worst", () => {
  it("ranks DOWN > STALE > NO_DATA > DEGRADED > UP", () => {
    expect(worst(["UP", "DEGRADED", "NO_DATA"])).toBe("NO_DATA");
    expect(worst(["STALE", "DOWN"])).toBe("DOWN");
    expect(worst([])).toBe("UP");
  });
});

describe("database: a Patroni cluster", () => {
  it("leader present and every node UP → UP with no reasons", () => {
    const c = cluster(patroniUnit("UP"), pg("pg1", "UP"), pg("pg2", "UP"), pg("pg3", "UP"));
    expect(c).toMatchObject({ id: "database", status: "UP", reasons: [], suspect: null });
    expect(c.unitKeys).toEqual(["patroni:labcluster", "postgres:labcluster/pg1", "postgres:labcluster/pg2", "postgres:labcluster/pg3"]);
  });
  it("Patroni names no leader yet (its DOWN not confirmed): the last primary seen, now DOWN, keeps the cluster DOWN", () => {
    const hung = pg("pg1", "DOWN", { reason: "timeout", data: { inRecovery: false } });
    const standby = pg("pg2", "UP", { data: { inRecovery: true } });
    const c = cluster(patroniUnit("UP", null), hung, standby);
    expect(c.status).toBe("DOWN");
    expect(c.reasons).toContain("leader labcluster/pg1: timeout");
    // With Patroni naming a leader elsewhere, the old primary's DOWN only degrades.
    expect(cluster(patroniUnit("UP", "pg2"), hung, standby).status).toBe("DEGRADED");
  });
  it("no leader (Patroni DOWN) → DOWN", () => {
    const c = cluster(unit("patroni", "labcluster", "DOWN", { reason: "no leader", data: patroniData(null) }), pg("pg1", "UP"));
    expect(c.status).toBe("DOWN");
    expect(c.reasons[0]).toBe("Patroni labcluster: no leader");
  });
  it("the leader's PostgreSQL DOWN → DOWN, naming the leader", () => {
    const c = cluster(patroniUnit("UP"), pg("pg1", "DOWN", { reason: "connection refused" }), pg("pg2", "UP"));
    expect(c).toMatchObject({ status: "DOWN", reasons: ["leader labcluster/pg1: connection refused"] });
  });
  it("a standby DEGRADED (lag) or DOWN → DEGRADED", () => {
    expect(cluster(patroniUnit("UP"), pg("pg1", "UP"), pg("pg2", "DEGRADED", { reason: "standby replay lag 8 s exceeds 5 s" })).reasons).toEqual([
      "standby labcluster/pg2 is DEGRADED: standby replay lag 8 s exceeds 5 s",
    ]);
    expect(cluster(patroniUnit("UP"), pg("pg1", "UP"), pg("pg2", "DOWN")).status).toBe("DEGRADED");
  });
  it("maintenance mode → DEGRADED", () => {
    expect(cluster(patroniUnit("DEGRADED"), pg("pg1", "UP")).status).toBe("DEGRADED");
  });
  it("the leader follows Patroni's latest data: after a failover to pg2 the old leader's death only degrades", () => {
    expect(cluster(patroniUnit("UP", "pg2"), pg("pg1", "DOWN"), pg("pg2", "UP")).status).toBe("DEGRADED");
  });
  it("unknown leader state → STALE", () => {
    expect(cluster(patroniUnit("UP"), pg("pg1", "STALE"), pg("pg2", "UP")).status).toBe("STALE");
  });
  it("a pending fault shows as the component's suspect, with the unit's count", () => {
    const c = cluster(patroniUnit("UP"), pg("pg1", "UP", { suspect: { status: "DOWN", count: 2, reason: "connection refused" } }), pg("pg2", "UP"));
    expect(c.status).toBe("UP");
    expect(c.suspect).toEqual({ status: "DOWN", count: 2, needed: 3, reason: "leader labcluster/pg1: connection refused" });
  });
});

describe("cache: Sentinel + Redis", () => {
  const s = (status: Status, master = "127.0.0.1:6391") => unit("sentinel", "labredis", status, { data: sentinelData([master, master, master]) });
  const r = (id: string, status: Status, port: number, role = "master") =>
    unit("redis", id, status, { address: `127.0.0.1:${port}`, data: { role } });

  it("master and replica UP → UP", () => {
    expect(rollupComponent(CACHE, [s("UP"), r("redis1", "UP", 6391), r("redis2", "UP", 6392, "slave")]).status).toBe("UP");
  });
  it("the master Sentinel names is DOWN → DOWN", () => {
    const c = rollupComponent(CACHE, [s("UP"), r("redis1", "DOWN", 6391), r("redis2", "UP", 6392, "slave")]);
    expect(c).toMatchObject({ status: "DOWN" });
    expect(c.reasons[0]).toContain("master redis1");
  });
  it("a replica DOWN or over memory → DEGRADED", () => {
    expect(rollupComponent(CACHE, [s("UP"), r("redis1", "UP", 6391), r("redis2", "DOWN", 6392, "slave")]).reasons).toEqual([
      "replica redis2 is DOWN: down reason",
    ]);
    expect(rollupComponent(CACHE, [s("UP"), r("redis1", "DEGRADED", 6391)]).status).toBe("DEGRADED");
  });
  it("after a failover the master is whoever Sentinel names", () => {
    expect(rollupComponent(CACHE, [s("UP", "127.0.0.1:6392"), r("redis1", "DOWN", 6391), r("redis2", "UP", 6392)]).status).toBe("DEGRADED");
  });
  it("sentinels unreachable: DEGRADED while the master answers, DOWN when it does not", () => {
    const c = rollupComponent(CACHE, [s("DOWN"), r("redis1", "UP", 6391)]);
    expect(c.status).toBe("DEGRADED");
    expect(c.reasons[0]).toContain("the master still answers");
    expect(rollupComponent(CACHE, [s("DOWN"), r("redis1", "DOWN", 6391)]).status).toBe("DOWN");
    expect(rollupComponent(CACHE, [s("DOWN")]).status).toBe("DOWN");
  });
  it("without Sentinel, a single instance that claims master decides", () => {
    expect(rollupComponent(CACHE, [r("redis1", "DOWN", 6391), r("redis2", "UP", 6392, "slave")]).status).toBe("DOWN");
    expect(rollupComponent(CACHE, [r("redis1", "DOWN", 6391, "slave"), r("redis2", "DOWN", 6392, "slave")]).reasons).toContain(
      "no Redis instance is known to be master (redis1, redis2)",
    );
  });
});

describe("active-active app instances (http + tcp peers)", () => {
  const te = (s1: Status, s2: Status, s3: Status = "UP", s4: Status = "UP") =>
    rollupComponent(TE, [unit("http", "te1-health", s1), unit("http", "te2-health", s2), unit("tcp", "te1-tcp", s3), unit("tcp", "te2-tcp", s4)]);

  it("all UP → UP", () => {
    expect(te("UP", "UP").status).toBe("UP");
  });
  it("some down → DEGRADED, naming them", () => {
    const c = te("DOWN", "UP", "DOWN");
    expect(c.status).toBe("DEGRADED");
    expect(c.reasons).toEqual(["2 of 4 serving; te1-health is DOWN: down reason", "2 of 4 serving; te1-tcp is DOWN: down reason"]);
  });
  it("all down → DOWN", () => {
    expect(te("DOWN", "DOWN", "DOWN", "DOWN").status).toBe("DOWN");
  });
  it("none serving, some unknown → DOWN; all unknown → STALE", () => {
    expect(te("DOWN", "STALE", "DOWN", "DOWN").status).toBe("DOWN");
    expect(te("STALE", "STALE", "STALE", "NO_DATA").status).toBe("STALE");
  });
  it("a single active-passive instance is its own status", () => {
    expect(rollupComponent(TE, [unit("http", "oms-health", "DOWN", { reason: "HTTP 503, expected 200" })])).toMatchObject({
      status: "DOWN",
      reasons: ["oms-health is DOWN: HTTP 503, expected 200"],
    });
  });
});

describe("other components: worst of their units", () => {
  it("load balancer: VRRP without MASTER → DOWN; HAProxy DEGRADED → DEGRADED", () => {
    expect(rollupComponent(LB, [unit("haproxy", "haproxy", "UP"), unit("vrrp", "vi-trading", "DOWN")]).status).toBe("DOWN");
    const c = rollupComponent(LB, [unit("haproxy", "haproxy", "DEGRADED", { reason: "backend pg_rw has no server UP" }), unit("vrrp", "vi-trading", "UP")]);
    expect(c).toMatchObject({ status: "DEGRADED", reasons: ["haproxy: backend pg_rw has no server UP"] });
  });
  it("market data STALE → STALE (the seed's per-component word)", () => {
    const md = { id: "market-data-gateway", name: "Market Data Gateway", layer: "application", sla: 99.999 };
    expect(rollupComponent(md, [unit("marketdata", "market-data", "STALE")]).status).toBe("STALE");
  });
  it("a confirmed finding about a unit makes its component at least DEGRADED", () => {
    const f: Finding = { id: "split-brain:vi-trading", severity: "CRITICAL", title: "VRRP split brain", explanation: "", subjects: ["vrrp:vi-trading"], since: 0 };
    const c = rollupComponent(LB, [unit("vrrp", "vi-trading", "UP")], [f]);
    expect(c).toMatchObject({ status: "DEGRADED", reasons: ["VRRP split brain"] });
    expect(rollupComponent(LB, [unit("vrrp", "vi-trading", "UP")], [{ ...f, severity: "WARNING" }]).status).toBe("UP");
  });
  it("a component nothing monitors is NO_DATA with no units", () => {
    expect(rollupComponent({ id: "network", name: "Network", layer: "network", sla: 99.999 }, [])).toMatchObject({ status: "NO_DATA", unitKeys: [] });
  });
});

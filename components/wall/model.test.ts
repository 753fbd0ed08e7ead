import { describe, expect, it } from "vitest";
import type { ComponentHealth } from "@/lib/health";
import type { Snapshot, UnitSnapshot } from "@/lib/snapshot";
import { suspectLabel } from "@/lib/tone";
import { toWallModel } from "./model";
import { pickTiles } from "./tiles-model";

const NOW = 1_800_000_000_000;

function unit(over: Partial<UnitSnapshot> & Pick<UnitSnapshot, "key" | "kind" | "targetId" | "component">): UnitSnapshot {
  return { label: over.targetId, status: "UP", raw: "UP", suspect: null, since: NOW - 60_000, reason: null, latencyMs: 1, lastProbeAt: NOW, data: null, ...over };
}

function component(id: string, over: Partial<ComponentHealth> = {}): ComponentHealth {
  return { id, name: id, layer: "data", sla: 99.99, status: "UP", suspect: null, since: 0, reasons: [], unitKeys: [], ...over };
}

function snapshot(over: Partial<Snapshot> = {}): Snapshot {
  return {
    version: 1,
    at: NOW,
    title: "lab",
    overall: { status: "HEALTHY", reasons: [] },
    components: [component("database"), component("cache"), component("load-balancer")],
    findings: [],
    units: [
      unit({ key: "patroni:c1", kind: "patroni", targetId: "c1", component: "database" }),
      unit({ key: "postgres:c1/pg1", kind: "postgres", targetId: "c1", node: "pg1", component: "database" }),
      unit({
        key: "sentinel:s1",
        kind: "sentinel",
        targetId: "s1",
        component: "cache",
        data: {
          masterName: "s1",
          master: "127.0.0.1:6392",
          agree: true,
          quorumOk: true,
          sentinels: [{ ok: true, replicaNodes: [{ address: "127.0.0.1:6391", flags: ["slave"], masterLinkStatus: "ok", replOffset: 1 }] }, { ok: false, replicaNodes: [] }],
        },
      }),
      unit({ key: "redis:r1", kind: "redis", targetId: "r1", component: "cache", data: { role: "master", usedMemory: 50, maxMemory: 100 } }),
      unit({
        key: "vrrp:vi-a",
        kind: "vrrp",
        targetId: "vi-a",
        component: "load-balancer",
        data: {
          instance: "VI_A",
          vips: ["10.0.0.1"],
          masters: ["ka1"],
          nodes: [
            { name: "ka1", state: "MASTER", priority: 100 },
            { name: "ka2", state: "BACKUP", priority: 50 },
          ],
        },
      }),
      unit({
        key: "haproxy:h",
        kind: "haproxy",
        targetId: "h",
        component: "load-balancer",
        data: {
          proxies: [
            { name: "stats", frontend: { status: "OPEN" }, backend: { status: "UP" }, servers: [] },
            { name: "pg_rw", frontend: null, backend: { status: "UP" }, servers: [{ name: "pg1", status: "UP", checkStatus: "L7OK" }, { name: "pg2", status: "DOWN", checkStatus: "L7STS" }] },
          ],
        },
      }),
      unit({ key: "marketdata:md", kind: "marketdata", targetId: "md", component: "cache", data: { key: "k", ageSeconds: 0.42, tradingEnabled: true, readFrom: "x" } }),
    ],
    clusters: [
      {
        id: "c1",
        name: "Cluster one",
        component: "database",
        status: "UP",
        leader: "pg1",
        syncStandby: "pg2",
        paused: false,
        timeline: 3,
        maxLagSeconds: 5,
        history: [],
        members: [
          { name: "pg1", role: "leader", state: "running", timeline: 3, host: null, port: null, inRecovery: false, lagBytes: null, lagSeconds: null, patroniLagBytes: null, syncState: null, replicationState: null, status: "UP" },
          { name: "pg2", role: "sync_standby", state: "running", timeline: 3, host: null, port: null, inRecovery: true, lagBytes: 0, lagSeconds: 0, patroniLagBytes: 0, syncState: "sync", replicationState: "streaming", status: "UP" },
          { name: "pg3", role: "replica", state: "running", timeline: 3, host: null, port: null, inRecovery: true, lagBytes: 4096, lagSeconds: 7, patroniLagBytes: 0, syncState: "async", replicationState: "streaming", status: "UP" },
        ],
      },
    ],
    events: [],
    monitor: { startedAt: NOW - 100_000, units: 7, lastEvaluationAt: NOW },
    ...over,
  };
}

describe("toWallModel", () => {
  it("names the leader, the sync standby and the async replicas with their lag", () => {
    const m = toWallModel(snapshot());
    const c = m.clusters[0]!;
    expect(c.leader?.name).toBe("pg1");
    expect(c.sync?.name).toBe("pg2");
    expect(c.replicas.map((r) => [r.name, r.lagBytes, r.lagSeconds, r.lagging])).toEqual([["pg3", 4096, 7, true]]);
    expect(c.lastSwitch).toBeNull();
  });

  it("dates the latest leader change from Patroni's history", () => {
    const s = snapshot();
    s.clusters[0]!.history = [
      { timeline: 1, lsn: 1, reason: "x", at: "2027-01-15T08:00:00+00:00", leader: "pg2" },
      { timeline: 2, lsn: 2, reason: "x", at: "2027-01-15T09:30:00.5+00:00", leader: "pg1" },
    ];
    expect(toWallModel(s).clusters[0]!.lastSwitch).toEqual({ at: Date.parse("2027-01-15T09:30:00.5Z"), timeline: 3 });
  });

  it("reads the Sentinel master, the VRRP roles and VIP holder, HAProxy backends and market-data age from unit data", () => {
    const m = toWallModel(snapshot());
    expect(m.sentinels[0]).toMatchObject({ id: "s1", master: "127.0.0.1:6392", sentinelsOk: 1, sentinelsTotal: 2, replicas: [{ address: "127.0.0.1:6391", ok: true }] });
    expect(m.sentinels[0]!.redis).toEqual([{ id: "r1", role: "master", status: "UP", suspect: null, memoryPct: 50 }]);
    expect(m.vrrp[0]).toMatchObject({ id: "vi-a", instance: "VI_A", holder: "ka1", nodes: [{ name: "ka1", state: "MASTER" }, { name: "ka2", state: "BACKUP" }] });
    expect(m.haproxy[0]!.backends).toEqual([{ name: "pg_rw", status: "UP", up: 1, servers: [{ name: "pg1", status: "UP", check: "L7OK" }, { name: "pg2", status: "DOWN", check: "L7STS" }] }]);
    expect(m.marketData[0]).toMatchObject({ ageSeconds: 0.42, tradingEnabled: true });
  });

  it("has no VIP holder with two MASTERs (split brain) and none without data", () => {
    const s = snapshot();
    const v = s.units.find((u) => u.kind === "vrrp")!;
    v.data = { ...(v.data as object), masters: ["ka1", "ka2"] };
    expect(toWallModel(s).vrrp[0]).toMatchObject({ holder: null, masters: ["ka1", "ka2"] });
    v.data = null;
    expect(toWallModel(s).vrrp[0]).toMatchObject({ holder: null, nodes: [] });
  });

  it("who answers on the VIP: agreeing, another node, a stranger, no probe", () => {
    const s = snapshot();
    const v = s.units.find((u) => u.kind === "vrrp")!;
    const withAnswer = (node: string | null, answer: string | null) => {
      v.data = { ...(v.data as object), vipAnswer: { node, answer, error: answer ? null : "connection refused", latencyMs: 1 } };
      return toWallModel(s).vrrp[0];
    };
    expect(toWallModel(s).vrrp[0]).toMatchObject({ probed: false, answeredBy: null, answerDisagrees: false });
    expect(withAnswer("ka1", "ka1")).toMatchObject({ probed: true, answeredBy: "ka1", answerDisagrees: false, holder: "ka1" });
    expect(withAnswer("ka2", "ka2")).toMatchObject({ answeredBy: "ka2", answerDisagrees: true, holder: "ka1" });
    expect(withAnswer(null, "web7")).toMatchObject({ answeredBy: "web7", answerDisagrees: true });
    expect(withAnswer(null, null)).toMatchObject({ probed: true, answeredBy: null, answerDisagrees: false });
    expect(withAnswer("ka2", "ka2")!.sig).not.toBe(withAnswer("ka1", "ka1")!.sig);
  });

  it("shows a suspicion while the confirmed status is still UP, as an incident too", () => {
    const s = snapshot();
    s.components[0] = component("database", { suspect: { status: "DOWN", count: 1, needed: 3, reason: "refused" } });
    s.units[1] = { ...s.units[1]!, suspect: { status: "DOWN", count: 1, needed: 3, reason: "connection refused" } };
    const m = toWallModel(s);
    expect(m.components[0]!.status).toBe("UP");
    expect(suspectLabel(m.components[0]!.suspect!)).toBe("DOWN 1/3");
    expect(m.clusters[0]!.leader?.suspect).toEqual({ status: "DOWN", count: 1, needed: 3 });
    expect(m.incidents.map((g) => [g.key, g.status, g.units.map((u) => [u.name, u.reason])])).toEqual([["database", "UP", [["c1/pg1", "connection refused"]]]]);
  });

  it("orders incidents worst first and dates a component's incident from its last confirmed transition", () => {
    const s = snapshot();
    s.components[1] = component("cache", { status: "DEGRADED", since: NOW - 9_000, reasons: ["market data old"] });
    s.components[2] = component("load-balancer", { status: "DOWN", since: NOW - 2_000, reasons: ["haproxy down"] });
    s.units[3] = { ...s.units[3]!, status: "DEGRADED", since: NOW - 5_000 };
    s.units[6] = { ...s.units[6]!, status: "DEGRADED", since: NOW - 9_000 };
    s.units[5] = { ...s.units[5]!, status: "DOWN", since: NOW - 2_000 };
    const m = toWallModel(s);
    expect(m.incidents.map((g) => [g.key, g.status, g.since])).toEqual([
      ["load-balancer", "DOWN", NOW - 2_000],
      ["cache", "DEGRADED", NOW - 9_000],
    ]);
  });

  it("keeps the signature of an unchanged row when the snapshot changes elsewhere", () => {
    const a = toWallModel(snapshot());
    const s = snapshot({ at: NOW + 1000, version: 2 });
    s.units[5] = { ...s.units[5]!, status: "DOWN" };
    const b = toWallModel(s);
    expect(b.clusters[0]!.sig).toBe(a.clusters[0]!.sig);
    expect(b.vrrp[0]!.sig).toBe(a.vrrp[0]!.sig);
    expect(b.components.map((c) => c.sig)).toEqual(a.components.map((c) => c.sig));
    expect(b.haproxy[0]!.sig).not.toBe(a.haproxy[0]!.sig);
  });
});

describe("the SLA line of a tile", () => {
  const HOUR = 3_600_000;
  const sla = {
    budgets: [{ id: "database", remainingMs: 131_000, exhausted: false }],
    maintenance: [
      { components: ["cache"], start: NOW - HOUR, effectiveEnd: NOW + HOUR, reason: "Redis upgrade", state: "active" },
      { components: ["*"], start: NOW + 2 * HOUR, effectiveEnd: NOW + 3 * HOUR, reason: "network change", state: "upcoming" },
      { components: ["database"], start: NOW + 2 * 24 * HOUR, effectiveEnd: NOW + 2 * 24 * HOUR + HOUR, reason: "later", state: "upcoming" },
    ],
  };

  it("is absent until the store has figures: no budget, no maintenance", () => {
    const m = toWallModel(snapshot());
    expect(m.components.map((c) => [c.budget, c.maintenance])).toEqual([
      [null, null],
      [null, null],
      [null, null],
    ]);
    expect(toWallModel(snapshot(), { budgets: [], maintenance: [] }).components.every((c) => c.budget === null && c.maintenance === null)).toBe(true);
  });

  it("shows the month's budget where there is one, the active window, else the next within a day", () => {
    const byId = new Map(toWallModel(snapshot(), sla).components.map((c) => [c.id, c]));
    expect(byId.get("database")!.budget).toEqual({ remainingMs: 131_000, exhausted: false });
    expect(byId.get("cache")!.budget).toBeNull();
    expect(byId.get("cache")!.maintenance).toEqual({ state: "active", start: NOW - HOUR, end: NOW + HOUR, reason: "Redis upgrade" });
    // "*" covers every component; the database's own window is two days away, too far for the tile.
    expect(byId.get("database")!.maintenance).toMatchObject({ state: "upcoming", start: NOW + 2 * HOUR, reason: "network change" });
    expect(byId.get("load-balancer")!.maintenance).toMatchObject({ state: "upcoming" });
  });

  it("changes a tile's signature when its budget moves by a second, not by less", () => {
    const a = toWallModel(snapshot(), sla).components.find((c) => c.id === "database")!;
    const b = toWallModel(snapshot(), { ...sla, budgets: [{ id: "database", remainingMs: 131_300, exhausted: false }] }).components.find((c) => c.id === "database")!;
    const c = toWallModel(snapshot(), { ...sla, budgets: [{ id: "database", remainingMs: 129_000, exhausted: false }] }).components.find((c) => c.id === "database")!;
    expect(b.sig).toBe(a.sig);
    expect(c.sig).not.toBe(a.sig);
  });
});

describe("pickTiles", () => {
  const tiles = toWallModel(snapshot()).components;
  it("keeps config order when everything fits", () => {
    expect(pickTiles(tiles, 8)).toEqual({ shown: tiles, hiddenUp: 0, hiddenOther: 0 });
  });
  it("shows every problem first when not all fit, and counts what is left out", () => {
    const many = Array.from({ length: 10 }, (_, i) => ({ ...tiles[0]!, id: `c${i}`, status: i === 7 ? ("DOWN" as const) : ("UP" as const) }));
    const { shown, hiddenUp, hiddenOther } = pickTiles(many, 4);
    expect(shown.map((t) => t.id)).toEqual(["c0", "c1", "c7"]);
    expect([hiddenUp, hiddenOther]).toEqual([7, 0]);
  });
});

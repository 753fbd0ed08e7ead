import { describe, expect, it } from "vitest";
import { classifyIncident, errorKindOf, hostOf, hostOfTarget, type ClassifyInput, type UnitEvidence } from "./failure-mode";

const unit = (key: string, component: string, host: string | null, failure: string | null = null, kind = key.split(":")[0]!): UnitEvidence => ({
  key,
  kind,
  targetId: key.split(":")[1]!.split("/")[0]!,
  component,
  host,
  failure,
});

/** A small system: two engines and an OMS on host a, a database on hosts b and c, a VRRP pair on files. */
function system(failures: Record<string, string> = {}): UnitEvidence[] {
  const units = [
    unit("http:te1-health", "trading-engine", "a"),
    unit("tcp:te1-tcp", "trading-engine", "a"),
    unit("http:te2-health", "trading-engine", "a2"),
    unit("http:oms-health", "order-management", "a"),
    unit("patroni:labcluster", "database", "b"),
    unit("postgres:labcluster/pg1", "database", "b"),
    unit("postgres:labcluster/pg2", "database", "c"),
    unit("vrrp:vi-trading", "load-balancer", null),
  ];
  return units.map((u) => (failures[u.key] ? { ...u, failure: failures[u.key]! } : u));
}
const ALL = ["trading-engine", "order-management", "database", "load-balancer"];
const input = (componentId: string, units: UnitEvidence[], o: Partial<ClassifyInput> = {}): ClassifyInput => ({
  componentId,
  units,
  findings: [],
  componentsMonitored: ALL,
  componentsDown: [componentId],
  ...o,
});

describe("errorKindOf: the collectors' own wording", () => {
  it.each([
    ["connection refused", "refused"],
    ["connection refused (admin socket)", "refused"],
    ["connection reset", "refused"],
    ["no answer within the deadline (800 ms)", "no-answer"],
    ["command timed out", "no-answer"],
    ["host unreachable", "unreachable"],
    ["network unreachable", "unreachable"],
    ["HTTP 503", "unhealthy"],
    [null, "unhealthy"],
  ] as const)("%s → %s", (reason, kind) => expect(errorKindOf(reason)).toBe(kind));
});

describe("classifyIncident", () => {
  it("a process killed (refused) on a host that still answers is a software crash", () => {
    const c = classifyIncident(input("trading-engine", system({ "http:te1-health": "connection refused", "tcp:te1-tcp": "connection refused" })));
    expect(c.mode).toBe("software-crash");
    expect(c.evidence).toContain("process gone (connection refused) while host a answered other probes");
  });

  it("a frozen process (no answer) while its host answers other probes is a software crash (hung)", () => {
    const c = classifyIncident(input("trading-engine", system({ "http:te1-health": "no answer within the deadline (800 ms)", "tcp:te1-tcp": "no answer within the deadline (800 ms)" })));
    expect(c).toMatchObject({ mode: "software-crash" });
    expect(c.evidence).toContain("process hung");
  });

  it("every probe of a host unanswered is a server hardware failure (a node gone)", () => {
    const c = classifyIncident(input("trading-engine", system({ "http:te2-health": "host unreachable" })));
    expect(c.mode).toBe("server-hardware");
    expect(c.evidence).toContain("host a2");
  });

  it("a refused probe on a host otherwise silent is not hardware: the host answered (refused)", () => {
    const c = classifyIncident(input("trading-engine", system({ "http:te1-health": "connection refused", "tcp:te1-tcp": "no answer within the deadline (800 ms)", "http:oms-health": "no answer within the deadline (800 ms)" })));
    expect(c.mode).toBe("software-crash");
  });

  it("a database component's incident is a database failure, whatever failed", () => {
    expect(classifyIncident(input("database", system({ "postgres:labcluster/pg1": "connection refused" }))).mode).toBe("database");
  });

  it("a DCS failure makes the incident a database failure even for another component", () => {
    const units = [...system({ "http:te1-health": "HTTP 503" }), unit("etcd:dcs", "database", "e", "no answer within the deadline (800 ms)")];
    expect(classifyIncident(input("trading-engine", units))).toMatchObject({ mode: "database", evidence: expect.stringContaining("DCS dcs") });
  });

  it("a split-brain finding about the component is a network partition, before the database rule", () => {
    expect(classifyIncident(input("load-balancer", system(), { findings: ["split-brain:vi-trading"] })).mode).toBe("network-partition");
    expect(classifyIncident(input("database", system(), { findings: ["multiple-primaries:labcluster"] })).mode).toBe("network-partition");
    expect(classifyIncident(input("load-balancer", system(), { findings: ["duplicate-vip:vi-trading/ka1"] })).mode).toBe("network-partition");
    // A finding about something else does not count.
    expect(classifyIncident(input("trading-engine", system({ "http:te1-health": "connection refused" }), { findings: ["split-brain:vi-trading"] })).mode).toBe("software-crash");
    expect(classifyIncident(input("trading-engine", system({ "http:te1-health": "connection refused" }), { findings: ["orphan-primary:trading-engine/x"] })).mode).toBe("software-crash");
  });

  it("every monitored component DOWN at once, or every host silent, is a data-centre outage", () => {
    expect(classifyIncident(input("trading-engine", system(), { componentsDown: ALL })).mode).toBe("data-centre");
    const silent = Object.fromEntries(system().filter((u) => u.host).map((u) => [u.key, "no answer within the deadline (800 ms)"]));
    expect(classifyIncident(input("trading-engine", system(silent))).mode).toBe("data-centre");
    // One component alone is not a data centre.
    expect(classifyIncident(input("trading-engine", system({ "http:te1-health": "connection refused" }), { componentsMonitored: ["trading-engine"], componentsDown: ["trading-engine"] })).mode).toBe("software-crash");
  });

  it("no failed unit recorded: unclassified, and says so", () => {
    expect(classifyIncident(input("trading-engine", system()))).toEqual({ mode: null, evidence: expect.stringContaining("no unit") });
  });
});

describe("hostOf", () => {
  it.each([
    ["http://127.0.0.1:18081/health", "127.0.0.1"],
    ["postgres://postgres@10.0.0.5:5432/postgres", "10.0.0.5"],
    ["redis://user@cache.example:6379", "cache.example"],
    ["127.0.0.1:5555", "127.0.0.1"],
    ["[::1]:5555", "::1"],
    ["http://[::1]:80/", "::1"],
  ])("%s → %s", (s, h) => expect(hostOf(s)).toBe(h));

  it("reads the first address-like field of a target, never a password", () => {
    expect(hostOfTarget({ id: "x", password: "s3cret@host", url: "http://a:1/" })).toBe("a");
    expect(hostOfTarget({ stateFile: "/x" })).toBeNull();
    expect(hostOfTarget(null)).toBeNull();
  });
});

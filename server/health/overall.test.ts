import { describe, expect, it } from "vitest";
import type { ComponentHealth, Finding } from "@/lib/health";
import type { Status } from "@/lib/status";
import { overallOf } from "./overall";

const comp = (id: string, status: Status, o: Partial<ComponentHealth> = {}): ComponentHealth => ({
  id,
  name: id.replace(/(^|-)(\w)/g, (_, s: string, c: string) => `${s ? " " : ""}${c.toUpperCase()}`),
  layer: "data",
  sla: 99.99,
  status,
  suspect: null,
  since: 0,
  reasons: status === "UP" ? [] : [`${id} reason`],
  unitKeys: [`x:${id}`],
  ...o,
});
const finding = (severity: Finding["severity"]): Finding => ({ id: "split-brain:vi", severity, title: "VRRP split brain on VI", explanation: "", subjects: [], since: 0 });
const allUp = () => ["trading-engine", "database", "cache", "market-data-gateway", "load-balancer"].map((id) => comp(id, "UP"));
const set = (cs: ComponentHealth[], id: string, status: Status, o: Partial<ComponentHealth> = {}) => cs.map((c) => (c.id === id ? comp(id, status, o) : c));

describe("overall", () => {
  it("HEALTHY when every monitored component is UP, with no reasons", () => {
    expect(overallOf(allUp(), [])).toEqual({ overall: "HEALTHY", reasons: [] });
  });
  it.each(["trading-engine", "database", "cache"])("CRITICAL when core %s is DOWN", (id) => {
    const r = overallOf(set(allUp(), id, "DOWN"), []);
    expect(r.overall).toBe("CRITICAL");
    expect(r.reasons[0]).toMatch(/ is DOWN: .* reason$/);
    expect(r.reasons[0]).toContain(id);
  });
  it("DEGRADED when a non-core component is DOWN", () => {
    expect(overallOf(set(allUp(), "load-balancer", "DOWN"), []).overall).toBe("DEGRADED");
  });
  it.each(["DEGRADED", "STALE", "NO_DATA"] as const)("DEGRADED when a core component is %s", (s) => {
    expect(overallOf(set(allUp(), "database", s), []).overall).toBe("DEGRADED");
  });
  it("market data STALE → DEGRADED, naming it", () => {
    const r = overallOf(set(allUp(), "market-data-gateway", "STALE", { reasons: ["market-data: market data is 7 s old, limit 5 s"] }), []);
    expect(r).toEqual({ overall: "DEGRADED", reasons: ["Market Data Gateway is STALE: market-data: market data is 7 s old, limit 5 s"] });
  });
  it("a CRITICAL finding is CRITICAL; an unconfirmed (WARNING) one is listed as suspected only", () => {
    expect(overallOf(allUp(), [finding("CRITICAL")])).toEqual({ overall: "CRITICAL", reasons: ["VRRP split brain on VI"] });
    expect(overallOf(allUp(), [finding("WARNING")])).toEqual({ overall: "HEALTHY", reasons: ["suspected: VRRP split brain on VI"] });
  });
  it("the core set is configurable", () => {
    expect(overallOf(set(allUp(), "load-balancer", "DOWN"), [], ["load-balancer"]).overall).toBe("CRITICAL");
    expect(overallOf(set(allUp(), "cache", "DOWN"), [], ["load-balancer"]).overall).toBe("DEGRADED");
  });
  it("ignores components nothing monitors", () => {
    expect(overallOf([...allUp(), comp("network", "NO_DATA", { unitKeys: [] })], []).overall).toBe("HEALTHY");
  });
  it("lists suspicions last without changing the verdict", () => {
    const cs = set(allUp(), "trading-engine", "UP", { suspect: { status: "DOWN", count: 1, needed: 3, reason: "te1-health is DOWN: refused" } });
    expect(overallOf(cs, [])).toEqual({ overall: "HEALTHY", reasons: ["Trading Engine may become DOWN (1/3): te1-health is DOWN: refused"] });
  });
  it("orders reasons: critical first", () => {
    const cs = set(set(allUp(), "load-balancer", "DEGRADED"), "database", "DOWN");
    expect(overallOf(cs, []).reasons.map((r) => r.split(" is ")[0])).toEqual(["Database", "Load Balancer"]);
  });
});

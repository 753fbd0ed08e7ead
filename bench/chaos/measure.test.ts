import { describe, expect, it } from "vitest";
import type { ComponentHealth, Finding } from "../../lib/health";
import { analyse, apiP99, dashboardDeviates, dashboardHealthy, firstRun, markdownTable, settledFrom, verdictMisses, type Poll, type SnapshotView } from "./measure";

const comp = (id: string, status: ComponentHealth["status"], extra: Partial<ComponentHealth> = {}): ComponentHealth => ({
  id,
  name: id,
  layer: "data",
  sla: 99.99,
  status,
  suspect: null,
  since: 0,
  reasons: [],
  unitKeys: [],
  ...extra,
});
const finding = (id: string, severity: Finding["severity"]): Finding => ({ id, severity, title: id, explanation: "", subjects: [], since: 0 });
const snap = (overall: SnapshotView["overall"]["status"], components: ComponentHealth[], findings: Finding[] = []): SnapshotView => ({ overall: { status: overall, reasons: [] }, components, findings });

describe("verdictMisses", () => {
  it("is empty when every listed component, the overall and the findings match", () => {
    const s = snap("CRITICAL", [comp("database", "DOWN"), comp("cache", "UP")], [finding("orphan-primary:labcluster/pg1", "CRITICAL")]);
    expect(verdictMisses(s, { components: { database: ["DOWN"] }, overall: ["CRITICAL"], findings: ["orphan-primary:"] })).toEqual([]);
  });

  it("names each miss: a wrong status, a wrong overall, an unconfirmed finding, a missing component", () => {
    const s = snap("DEGRADED", [comp("database", "DEGRADED")], [finding("orphan-primary:labcluster/pg1", "WARNING")]);
    expect(verdictMisses(s, { components: { database: ["DOWN"], cache: ["UP"] }, overall: ["CRITICAL"], findings: ["orphan-primary:"] })).toEqual([
      "database DEGRADED, expected DOWN",
      "no component cache",
      "overall DEGRADED, expected CRITICAL",
      "no confirmed finding orphan-primary:*",
    ]);
  });

  it("checks what a component says, case-insensitively", () => {
    const s = snap("DEGRADED", [comp("cache", "DEGRADED", { reasons: ["Sentinel: only 1 of 3 sentinels answer, below quorum 2: No automatic failover"] })]);
    expect(verdictMisses(s, { says: { component: "cache", text: "no automatic failover" } })).toEqual([]);
    expect(verdictMisses(s, { says: { component: "cache", text: "failover impossible" } })).toEqual(['cache does not say "failover impossible"']);
  });
});

describe("dashboard all clear", () => {
  it("is healthy only with HEALTHY, no finding, no suspicion, every monitored component UP", () => {
    expect(dashboardHealthy(snap("HEALTHY", [comp("database", "UP"), comp("dcs", "NO_DATA")]))).toBe(true);
    expect(dashboardHealthy(snap("HEALTHY", [comp("database", "UP", { suspect: { status: "DOWN", count: 1, needed: 3, reason: null } })]))).toBe(false);
    expect(dashboardHealthy(snap("HEALTHY", [comp("database", "UP")], [finding("split-brain:x", "WARNING")]))).toBe(false);
    expect(dashboardHealthy(snap("DEGRADED", [comp("database", "DEGRADED")]))).toBe(false);
  });

  it("deviates on a suspicion alone", () => {
    expect(dashboardDeviates(snap("HEALTHY", [comp("database", "UP")]))).toBe(false);
    expect(dashboardDeviates(snap("HEALTHY", [comp("database", "UP", { suspect: { status: "DOWN", count: 1, needed: 3, reason: null } })]))).toBe(true);
  });
});

describe("runs", () => {
  it("firstRun finds the first contiguous run at or after an index", () => {
    expect(firstRun([false, true, true, false, true])).toEqual([1, 3]);
    expect(firstRun([false, true, true, false, true], 3)).toEqual([4, 5]);
    expect(firstRun([false, false])).toBeNull();
  });

  it("settledFrom is the index from which the flags stay true", () => {
    expect(settledFrom([true, false, true, true])).toBe(2);
    expect(settledFrom([true, true, true], 1)).toBe(1);
    expect(settledFrom([true, false])).toBeNull();
  });
});

describe("apiP99", () => {
  it("is the nearest-rank 99th percentile, a failed request counting as infinitely slow", () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(apiP99(xs)).toBe(99);
    expect(apiP99([...xs.slice(0, 99), null])).toBe(99);
    expect(apiP99([...xs.slice(0, 98), null, null])).toBe(Infinity);
  });
});

/** Ticks every 250 ms from t=-1 s to t=20 s; the world and the dashboard each a function of time. */
function timeline(o: { faulty: (t: number) => boolean; shows: (t: number) => boolean; worldOk: (t: number) => boolean; dashOk: (t: number) => boolean; latency?: (t: number) => number | null; deviates?: (t: number) => boolean }): Poll[] {
  const polls: Poll[] = [];
  for (let t = -1000; t <= 20_000; t += 250) {
    polls.push({
      at: 1_000_000 + t,
      latencyMs: o.latency ? o.latency(t) : 20,
      dash: { ok: true, healthy: o.dashOk(t), deviates: o.deviates ? o.deviates(t) : !o.dashOk(t), phases: [o.shows(t)] },
      world: { healthy: o.worldOk(t), phases: [o.faulty(t)] },
    });
  }
  return polls;
}
const opts = { injectAt: 1_000_000, undoAt: 1_010_000, intervalMs: 1000, deadlineMs: 800, tickMs: 250, phases: [{ label: "no writable primary", oracle: "psql :5440" }] };

describe("analyse", () => {
  const faulty = (t: number) => t >= 500 && t < 10_500;
  const worldOk = (t: number) => t < 0 || t >= 12_000;

  it("agrees when the dashboard confirms within 3 polls of the oracles and clears within 3 polls of them", () => {
    const r = analyse(timeline({ faulty, shows: (t) => t >= 3000 && t < 11_000, worldOk, dashOk: (t) => t < 250 || t >= 14_000 }), opts);
    expect(r.phases[0]).toMatchObject({ oracleFrom: 500, confirmed: 3000, delayPolls: 2.5, agrees: true });
    expect(r.suspectedMs).toBe(250);
    expect(r.recoveredMs).toBe(14_000);
    expect(r.restoredMs).toBe(11_000);
    expect(r.oracleHealthyMs).toBe(12_000);
    expect(r.recoveryAgrees).toBe(true);
    expect(r.pass).toBe(true);
  });

  it("disagrees when the confirmation comes after the third poll has ended (3 polls + the probe deadline + one tick)", () => {
    const r = analyse(timeline({ faulty, shows: (t) => t >= 4750, worldOk, dashOk: (t) => t < 250 || t >= 13_000 }), opts);
    expect(r.phases[0]!.agrees).toBe(false);
    expect(r.phases[0]!.why).toMatch(/4\.3 polls after the oracles \(> 3\)/);
    const justIn = analyse(timeline({ faulty, shows: (t) => t >= 4500, worldOk, dashOk: (t) => t < 250 || t >= 13_000 }), opts);
    expect(justIn.phases[0]!.agrees).toBe(true);
    expect(r.pass).toBe(false);
  });

  it("lets the dashboard move on up to one poll before the oracles see the phase end", () => {
    const r = analyse(timeline({ faulty, shows: (t) => t >= 3000 && t < 9750, worldOk, dashOk: (t) => t < 250 || t >= 13_000 }), opts);
    expect(r.phases[0]!.agrees).toBe(true);
    const early = analyse(timeline({ faulty, shows: (t) => t >= 3000 && t < 9250, worldOk, dashOk: (t) => t < 250 || t >= 13_000 }), opts);
    expect(early.phases[0]!.agrees).toBe(false);
  });

  it("disagrees when the verdict is lost inside the fault", () => {
    const r = analyse(timeline({ faulty, shows: (t) => t >= 3000 && !(t >= 6000 && t < 7000), worldOk, dashOk: (t) => t < 250 || t >= 13_000 }), opts);
    expect(r.phases[0]!.agrees).toBe(false);
    expect(r.phases[0]!.held).toEqual([r.phases[0]!.held[1] - 4, r.phases[0]!.held[1]]);
  });

  it("accepts a suspicion for a phase shorter than 3 polls", () => {
    const r = analyse(timeline({ faulty: (t) => t >= 500 && t < 2000, shows: () => false, worldOk, dashOk: (t) => t < 250 || t >= 13_000 }), opts);
    expect(r.phases[0]).toMatchObject({ agrees: true });
    expect(r.phases[0]!.why).toMatch(/suspected only/);
  });

  it("fails a recovery the dashboard announces too late or too early", () => {
    const late = analyse(timeline({ faulty, shows: (t) => t >= 3000, worldOk, dashOk: (t) => t < 250 || t >= 16_500 }), opts);
    expect(late.recoveryAgrees).toBe(false);
    const early = analyse(timeline({ faulty, shows: (t) => t >= 3000 && t < 7000, worldOk, dashOk: (t) => t < 250 || t >= 7000 }), { ...opts, undoAt: 1_006_000 });
    expect(early.recoveryAgrees).toBe(false);
    expect(early.recoveryWhy).toMatch(/before the oracles/);
  });

  it("fails a phase the oracles never saw unless it is optional", () => {
    const polls = timeline({ faulty: () => false, shows: () => false, worldOk, dashOk: (t) => t < 250 || t >= 13_000 });
    expect(analyse(polls, opts).phases[0]!.agrees).toBe(false);
    expect(analyse(polls, { ...opts, phases: [{ ...opts.phases[0]!, optional: true }] }).phases[0]!.agrees).toBe(true);
  });

  it("fails on API p99 ≥ 200 ms during the fault, and counts failed requests (with under 100 polls, p99 is the slowest)", () => {
    const r = analyse(timeline({ faulty, shows: (t) => t >= 3000 && t < 11_000, worldOk, dashOk: (t) => t < 250 || t >= 14_000, latency: (t) => (t >= 5000 && t < 5500 ? null : 20) }), opts);
    expect(r.apiFailed).toBe(2);
    expect(r.apiP99Ms).toBe(Infinity);
    expect(r.pass).toBe(false);
    const slow = analyse(timeline({ faulty, shows: (t) => t >= 3000 && t < 11_000, worldOk, dashOk: (t) => t < 250 || t >= 14_000, latency: (t) => (t >= 5000 && t < 6000 ? 250 : 20) }), opts);
    expect(slow.apiP99Ms).toBe(250);
    expect(slow.apiOk).toBe(false);
    expect(slow.pass).toBe(false);
  });
});

describe("markdownTable", () => {
  it("prints one row per scenario, skipped and failed ones included", () => {
    const r = analyse(timeline({ faulty: (t) => t >= 500 && t < 10_500, shows: (t) => t >= 3000 && t < 11_000, worldOk: (t) => t < 0 || t >= 12_000, dashOk: (t) => t < 250 || t >= 14_000 }), opts);
    const t = markdownTable([
      { id: "pg-leader-kill", title: "leader SIGKILL", row: r },
      { id: "pg-replay-paused", title: "replay paused", skipped: "needs replayPause in the lab driver" },
      { id: "etcd-kill", title: "etcd", error: "inject: etcd is not running" },
    ]).split("\n");
    expect(t).toHaveLength(5);
    expect(t[2]).toBe(
      "| pg-leader-kill: leader SIGKILL | 0.3 s | 3.0 s | yes: no writable primary (psql :5440), confirmed 2.5 polls after the oracles; yes: recovery, all clear 2.0 polls after the oracles | 14.0 s (10.0 s) | 20 ms (p50 20 ms) | pass |",
    );
    expect(t[3]).toContain("skipped: needs replayPause");
    expect(t[4]).toMatch(/error: inject: etcd is not running .* FAIL \|$/);
  });
});

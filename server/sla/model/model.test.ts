import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { parseConfig, type Config } from "@/server/config/load";
import { componentSubject, DAY, HOUR, MINUTE, SECOND, type CompositionNode, type Segment, type TimelineStatus } from "@/server/sla";
import type { StoredMaintenanceWindow } from "@/server/store/sla";
import {
  actionComponent,
  buildReport,
  buildTimelines,
  combineSegments,
  coreWindows,
  currentMaintenance,
  feasibilityOf,
  maintenanceState,
  resolveReportPeriod,
  slaFailovers,
  slaSubjects,
  subjectBudgets,
  wallBudgets,
  type TimelineInputs,
} from ".";

const T0 = Date.UTC(2026, 10, 10, 12, 0, 0); // 2026-11-10 12:00 UTC

function config(extra: Record<string, unknown> = {}): Config {
  const doc = {
    version: 1,
    components: [
      { id: "trading-engine", name: "Trading Engine", layer: "application", sla: 99.995 },
      { id: "database", name: "Database", layer: "data", sla: 99.99 },
      { id: "market-data", name: "Market Data", layer: "application", sla: 99.999 },
    ],
    ...extra,
  };
  return parseConfig(stringify(doc), "/tmp/sla-model-test.yaml", { NODE_ENV: "test" } as NodeJS.ProcessEnv);
}

type Tr = TimelineInputs["transitions"][number];
const tr = (at: number, id: string, toStatus: Tr["toStatus"], instanceId: string, reason: string | null = null): Tr => ({ at, subject: componentSubject(id), toStatus, instanceId, reason });
const seg = (start: number, end: number, status: TimelineStatus): Segment => ({ start, end, status });
const win = (p: Partial<StoredMaintenanceWindow> & Pick<StoredMaintenanceWindow, "start" | "end">): StoredMaintenanceWindow => ({
  id: 1,
  components: ["*"],
  effectiveEnd: p.end,
  reason: "planned",
  createdAt: p.start - HOUR,
  createdBy: null,
  cancelledAt: null,
  cancelledBy: null,
  ...p,
});

describe("combineSegments (the system's status from its components)", () => {
  const serial: CompositionNode = { kind: "serial", children: [{ kind: "component", id: "a", availabilityPercent: 99.9 }, { kind: "component", id: "b", availabilityPercent: 99.9 }] };
  const parallel: CompositionNode = { kind: "parallel", children: serial.children };
  const down = () => new Set<TimelineStatus>(["DOWN"]);

  it("serial: down when any part is down; a gap in one part is unknown, not up", () => {
    const segs = new Map([
      ["a", [seg(0, 10, "UP"), seg(10, 20, "DOWN"), seg(20, 40, "UP")]],
      ["b", [seg(0, 15, "UP"), seg(15, 30, "UNKNOWN"), seg(30, 40, "DEGRADED")]],
    ]);
    expect(combineSegments(serial, segs, down, 0, 40)).toEqual([seg(0, 10, "UP"), seg(10, 20, "DOWN"), seg(20, 30, "UNKNOWN"), seg(30, 40, "DEGRADED")]);
  });

  it("parallel: down only when every part is down; one part down is degraded", () => {
    const segs = new Map([
      ["a", [seg(0, 10, "UP"), seg(10, 30, "DOWN"), seg(30, 40, "UP")]],
      ["b", [seg(0, 20, "UP"), seg(20, 25, "DOWN"), seg(25, 40, "UNKNOWN")]],
    ]);
    expect(combineSegments(parallel, segs, down, 0, 40)).toEqual([seg(0, 10, "UP"), seg(10, 20, "DEGRADED"), seg(20, 25, "DOWN"), seg(25, 30, "UNKNOWN"), seg(30, 40, "DEGRADED")]);
  });

  it("a component's policy decides what is down: STALE counted for b makes the system DOWN", () => {
    const segs = new Map([
      ["a", [seg(0, 40, "UP")]],
      ["b", [seg(0, 10, "UP"), seg(10, 20, "STALE"), seg(20, 40, "UP")]],
    ]);
    const counts = (id: string) => new Set<TimelineStatus>(id === "b" ? ["DOWN", "STALE"] : ["DOWN"]);
    expect(combineSegments(serial, segs, counts, 0, 40)).toEqual([seg(0, 10, "UP"), seg(10, 20, "DOWN"), seg(20, 40, "UP")]);
    expect(combineSegments(serial, segs, down, 0, 40)).toEqual([seg(0, 10, "UP"), seg(10, 20, "STALE"), seg(20, 40, "UP")]);
  });
});

describe("feasibility of the configured targets", () => {
  it("the seed's table in series is about 99.948%, not the stated 99.99%", () => {
    const f = feasibilityOf(parseConfig("version: 1\n", "/tmp/seed.yaml", { NODE_ENV: "test" } as NodeJS.ProcessEnv));
    expect(f.met).toBe(false);
    expect(f.composedPercent).toBeCloseTo(99.94801, 4);
    expect(f.parts).toHaveLength(8);
    expect(f.parts[0]!.equalSharePercent).toBeCloseTo(99.99875, 5);
    expect(f.summary).toMatch(/^Composed 99\.9480% is below the stated 99\.99%/);
  });

  it("a configured parallel group raises the composed figure", () => {
    const serialOnly = feasibilityOf(config());
    const grouped = feasibilityOf(config({ sla: { composition: { serial: ["trading-engine", { parallel: ["database", "market-data"] }] } } }));
    expect(grouped.composedPercent).toBeGreaterThan(serialOnly.composedPercent);
    expect(grouped.parts.map((p) => p.label)).toEqual(["Trading Engine", "parallel"]);
  });
});

describe("resolveReportPeriod", () => {
  it("calendar periods in UTC, with labels", () => {
    expect(resolveReportPeriod({ period: "month" }, T0, "UTC")).toEqual({ kind: "month", from: Date.UTC(2026, 10, 1), to: Date.UTC(2026, 11, 1), label: "2026-11" });
    expect(resolveReportPeriod({ period: "quarter", at: "2026-02-14" }, T0, "UTC")).toMatchObject({ from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 3, 1), label: "2026-Q1" });
    expect(resolveReportPeriod({ period: "year", at: "2025-12" }, T0, "UTC")).toMatchObject({ from: Date.UTC(2025, 0, 1), to: Date.UTC(2026, 0, 1), label: "2025" });
  });

  it("in a time zone, the month begins at local midnight", () => {
    const p = resolveReportPeriod({ period: "month", at: "2026-07" }, T0, "Europe/London");
    expect(p.from).toBe(Date.UTC(2026, 5, 30, 23)); // 1 July 00:00 BST
    expect(p.to).toBe(Date.UTC(2026, 6, 31, 23));
    expect(p.label).toBe("2026-07");
  });

  it("custom: a plain date as `to` includes that day; a date-time is exact", () => {
    expect(resolveReportPeriod({ period: "custom", from: "2026-11-03", to: "2026-11-09" }, T0, "UTC")).toMatchObject({ from: Date.UTC(2026, 10, 3), to: Date.UTC(2026, 10, 10) });
    expect(resolveReportPeriod({ period: "custom", from: "2026-11-03T10:00:00Z", to: "2026-11-03T10:30:00Z" }, T0, "UTC")).toMatchObject({ from: Date.UTC(2026, 10, 3, 10), to: Date.UTC(2026, 10, 3, 10, 30) });
    expect(() => resolveReportPeriod({ period: "custom", from: "2026-11-09", to: "2026-11-03" }, T0, "UTC")).toThrow(/^to: the period must end after it starts/);
    expect(() => resolveReportPeriod({ period: "custom", from: "2020-01-01", to: "2026-01-01" }, T0, "UTC")).toThrow(/at most 3 years/);
  });
});

describe("maintenance windows", () => {
  it("cancelled before it began: dropped; cancelled while active: ends then", () => {
    const never = win({ id: 1, start: T0 + HOUR, end: T0 + 2 * HOUR, cancelledAt: T0, effectiveEnd: T0 });
    const cut = win({ id: 2, start: T0 - HOUR, end: T0 + HOUR, cancelledAt: T0, effectiveEnd: T0 });
    expect(coreWindows([never, cut])).toEqual([{ components: ["*"], start: T0 - HOUR, end: T0, reason: "planned" }]);
    expect(maintenanceState(never, T0 + 90 * MINUTE)).toBe("cancelled");
    expect(maintenanceState(cut, T0 - MINUTE)).toBe("active");
    expect(maintenanceState(cut, T0)).toBe("over");
  });

  it("the wall lists active windows first, then those starting within 7 days", () => {
    const ws = [
      win({ id: 1, start: T0 + 8 * DAY, end: T0 + 9 * DAY }),
      win({ id: 2, start: T0 + HOUR, end: T0 + 2 * HOUR }),
      win({ id: 3, start: T0 - HOUR, end: T0 + HOUR }),
      win({ id: 4, start: T0 - 3 * HOUR, end: T0 - 2 * HOUR }),
    ];
    expect(currentMaintenance(ws, T0).map((w) => [w.id, w.state])).toEqual([
      [3, "active"],
      [2, "upcoming"],
    ]);
  });
});

/**
 * A crash in the middle of an incident: run A sees the engine go DOWN and is SIGKILLed; run B starts
 * 35 s after A's last sign of life, has no verdict for 3 s, sees it DOWN, then UP again.
 */
function crashScenario() {
  const runA = { instanceId: "A", startedAt: T0, lastSeenAt: T0 + 95 * SECOND };
  const runB = { instanceId: "B", startedAt: T0 + 130 * SECOND, lastSeenAt: T0 + 200 * SECOND };
  const transitions: Tr[] = [
    tr(T0 + SECOND, "trading-engine", "UP", "A"),
    tr(T0 + SECOND, "database", "UP", "A"),
    tr(T0 + SECOND, "market-data", "UP", "A"),
    tr(T0 + 50 * SECOND, "trading-engine", "DOWN", "A", "none of 2 serving; te1 is DOWN"),
    tr(T0 + 130 * SECOND, "trading-engine", "NO_DATA", "B"),
    tr(T0 + 130 * SECOND, "database", "NO_DATA", "B"),
    tr(T0 + 130 * SECOND, "market-data", "NO_DATA", "B"),
    tr(T0 + 133 * SECOND, "trading-engine", "DOWN", "B", "none of 2 serving; te2 is DOWN"),
    tr(T0 + 133 * SECOND, "database", "UP", "B"),
    tr(T0 + 133 * SECOND, "market-data", "UP", "B"),
    tr(T0 + 160 * SECOND, "trading-engine", "UP", "B", "2 of 2 serving"),
  ];
  return { transitions, runs: [runA, runB] };
}

describe("buildReport", () => {
  const cfg = config();
  const now = T0 + 200 * SECOND;
  const period = resolveReportPeriod({ period: "custom", from: "2026-11-10T12:00:00Z", to: "2026-11-10T13:00:00Z" }, now, "UTC");

  it("a crash mid-incident: the incident up to the last sign of life, the gap as unknown, the incident after restart", () => {
    const input = crashScenario();
    const timelines = buildTimelines(cfg, input, period.from, period.to, now);
    const r = buildReport({ config: cfg, period, components: [], timelines, transitions: input.transitions, stored: [], failovers: [], now });
    const te = r.rows.find((x) => x.id === "trading-engine")!;
    expect(te.counted.downMs).toBe(45 * SECOND + 27 * SECOND);
    // The 35 s the dashboard was dead, plus 1 s before A's first verdict is NO_DATA, not unknown.
    expect(te.unknownMs).toBe(35 * SECOND);
    expect(te.noDataMs).toBe(SECOND + 3 * SECOND);
    expect(te.elapsedMs).toBe(200 * SECOND);
    expect(r.incidents.map((i) => [i.componentId, i.start - T0, i.end === null ? null : i.end - T0, i.durationMs])).toEqual([
      ["trading-engine", 50 * SECOND, 95 * SECOND, 45 * SECOND],
      ["trading-engine", 133 * SECOND, 160 * SECOND, 27 * SECOND],
    ]);
    const [first, second] = r.incidents;
    expect(first!.cause).toBe("none of 2 serving; te1 is DOWN");
    expect(first!.after).toEqual({ status: "UNKNOWN", ms: 35 * SECOND });
    expect(second!.before).toEqual({ status: "NO_DATA", ms: 3 * SECOND });
    expect(second!.cause).toBe("none of 2 serving; te2 is DOWN");
    expect(second!.recovery).toBe("2 of 2 serving");

    const sys = r.rows[0]!;
    expect(sys.id).toBe("system");
    expect(sys.counted.downMs).toBe(te.counted.downMs);
    expect(sys.unknownMs).toBe(35 * SECOND);
    // Known-time availability leaves the gap out; the pessimistic reading counts it as down.
    expect(te.counted.knownPercent).toBeCloseTo((100 * (200 - 35 - 4 - 72)) / (200 - 35 - 4), 9);
    expect(te.counted.pessimisticPercent).toBeCloseTo((100 * (200 - 35 - 4 - 72)) / 200, 9);
    expect(te.met).toBe(false);
  });

  it("an open incident has no end and counts up to now", () => {
    const input = crashScenario();
    const at = T0 + 140 * SECOND;
    const runs = [input.runs[0]!, { ...input.runs[1]!, lastSeenAt: at - 3 * SECOND }];
    const transitions = input.transitions.filter((t) => t.at <= at);
    const timelines = buildTimelines(cfg, { transitions, runs }, period.from, period.to, at);
    const r = buildReport({ config: cfg, period, components: ["trading-engine"], timelines, transitions, stored: [], failovers: [], now: at });
    expect(r.rows.map((x) => x.id)).toEqual(["trading-engine"]);
    expect(r.incidents.at(-1)).toMatchObject({ open: true, end: null, durationMs: 7 * SECOND });
  });

  it("maintenance: both readings always; the component's policy picks the counted one", () => {
    const cfgEx = config({ sla: { policies: { components: { "trading-engine": { maintenance: "exclude" } } } } });
    const input = crashScenario();
    const stored = [win({ id: 7, components: ["trading-engine"], start: T0 + 140 * SECOND, end: T0 + 150 * SECOND, reason: "engine upgrade" })];
    const timelines = buildTimelines(cfgEx, input, period.from, period.to, now);
    const r = buildReport({ config: cfgEx, period, components: [], timelines, transitions: input.transitions, stored, failovers: [], now });
    const te = r.rows.find((x) => x.id === "trading-engine")!;
    expect(te.maintenancePolicy).toBe("exclude");
    expect(te.includingMaintenance.downMs).toBe(72 * SECOND);
    expect(te.excludingMaintenance.downMs).toBe(62 * SECOND);
    expect(te.counted).toEqual(te.excludingMaintenance);
    expect(te.maintenanceMs).toBe(10 * SECOND);
    const db = r.rows.find((x) => x.id === "database")!;
    expect(db.maintenanceMs).toBe(0);
    // Listed once, with the share that fell in the window.
    expect(r.incidents[1]).toMatchObject({ durationMs: 27 * SECOND, maintenanceMs: 10 * SECOND });
    expect(r.maintenance.map((w) => [w.id, w.state])).toEqual([[7, "over"]]);
    // The system sets the window aside in its excluding reading only; its policy (count) picks including.
    const sys = r.rows[0]!;
    expect(sys.counted.downMs).toBe(72 * SECOND);
    expect(sys.excludingMaintenance.downMs).toBe(62 * SECOND);
  });
});

describe("budgets", () => {
  const cfg = config();

  it("window figures, open incident, failover cost from measured outages, burn alerts", () => {
    // One run since the month began; the engine had two 30 s outages and is down again for 10 min now.
    const start = Date.UTC(2026, 10, 1);
    const now = Date.UTC(2026, 10, 10, 12);
    const runs = [{ instanceId: "A", startedAt: start, lastSeenAt: now - 2 * SECOND }];
    const transitions: Tr[] = [
      ...["trading-engine", "database", "market-data"].map((id) => tr(start, id, "UP", "A")),
      tr(start + DAY, "trading-engine", "DOWN", "A", "te down"),
      tr(start + DAY + 30 * SECOND, "trading-engine", "UP", "A"),
      tr(start + 2 * DAY, "trading-engine", "DOWN", "A"),
      tr(start + 2 * DAY + 60 * SECOND, "trading-engine", "UP", "A"),
      tr(now - 10 * MINUTE, "trading-engine", "DOWN", "A", "te down again"),
    ];
    const timelines = buildTimelines(cfg, { transitions, runs }, Date.UTC(2026, 0, 1), now, now);
    const te = subjectBudgets(slaSubjects(cfg).components[0]!, { config: cfg, timelines, transitions, maintenance: [], failovers: [], now });
    const month = te.windows.find((w) => w.id === "month")!;
    expect(month.allowedMs).toBe(Math.round(0.00005 * 30 * DAY)); // 129.6 s
    expect(month.counted.usedMs).toBe(90 * SECOND + 10 * MINUTE);
    expect(month.counted.remainingMs).toBe(month.allowedMs - month.counted.usedMs);
    expect(month.counted.exhausted).toBe(true);
    expect(month.counted.unknownMs).toBe(0);
    const year = te.windows.find((w) => w.id === "year")!;
    // Before the first run this year is unknown, never up.
    expect(year.counted.unknownMs).toBe(start - Date.UTC(2026, 0, 1));
    expect(te.statusNow).toBe("DOWN");
    expect(te.openIncident).toEqual({ start: now - 10 * MINUTE, durationMs: 10 * MINUTE });
    expect(te.failoverCost.count).toBe(2);
    expect(te.failoverCost.medianMs).toBe(45 * SECOND);
    expect(te.burn.page).toBe(true);
    expect(te.burn.rules.find((r) => r.name === "fast burn")!.firing).toBe(true);
  });

  it("the wall gets a budget only where some of the month is known", () => {
    const now = T0;
    const monthStart = Date.UTC(2026, 10, 1);
    const none = buildTimelines(cfg, { transitions: [], runs: [] }, monthStart, now, now);
    expect(wallBudgets(cfg, none, [], now)).toEqual([]);
    const runs = [{ instanceId: "A", startedAt: now - HOUR, lastSeenAt: now }];
    const transitions = [tr(now - HOUR, "database", "UP", "A"), tr(now - 30 * MINUTE, "database", "DOWN", "A"), tr(now - 29 * MINUTE, "database", "UP", "A")];
    const some = buildTimelines(cfg, { transitions, runs }, monthStart, now, now);
    expect(wallBudgets(cfg, some, [], now)).toEqual([{ id: "database", remainingMs: Math.round(0.0001 * 30 * DAY) - MINUTE, allowedMs: Math.round(0.0001 * 30 * DAY), usedMs: MINUTE, exhausted: false }]);
  });
});

describe("failovers: recorded actions linked to incidents, and their cost", () => {
  const cfg = config({
    components: [
      { id: "database", name: "Database", layer: "data", sla: 99.99 },
      { id: "cache", name: "Cache", layer: "data", sla: 99.99 },
      { id: "load-balancer", name: "Load balancer", layer: "network", sla: 99.995 },
    ],
    clusters: [{ id: "pg-main", component: "database", nodes: [{ name: "pg1", rest: "http://127.0.0.1:8008", dsn: "postgres://monitor@127.0.0.1:5432/postgres" }] }],
    sentinels: [{ id: "redis-main", component: "cache", masterName: "mymaster", sentinels: ["127.0.0.1:26379"] }],
    vrrp: [{ id: "vi-trading", component: "load-balancer", instance: "VI_TRADING", virtualRouterId: 51, vips: ["10.0.0.10"], nodes: [{ name: "lb1" }, { name: "lb2" }] }],
  });
  const action = (id: number, kind: Parameters<typeof actionComponent>[1], targetId: string, executingAt: number | null, finishedAt: number | null, state: "succeeded" | "failed" | "refused" = "succeeded") => ({ id, kind, targetId, state, executingAt, finishedAt });

  it("an action's target counts towards the component the config names for it", () => {
    expect(actionComponent(cfg, "patroni_switchover", "pg-main")).toBe("database");
    expect(actionComponent(cfg, "patroni_failover", "pg-main")).toBe("database");
    expect(actionComponent(cfg, "sentinel_failover", "redis-main")).toBe("cache");
    expect(actionComponent(cfg, "vrrp_drain", "vi-trading")).toBe("load-balancer");
    expect(actionComponent(cfg, "vrrp_undrain", "vi-trading")).toBe("load-balancer");
    // The id is looked up in the kind's own section only; a target since removed from the config maps to nothing.
    expect(actionComponent(cfg, "sentinel_failover", "pg-main")).toBeNull();
    expect(slaFailovers(cfg, [action(1, "patroni_switchover", "gone", T0, T0 + SECOND), action(2, "sentinel_failover", "redis-main", T0, T0 + SECOND)]).map((f) => [f.id, f.componentId])).toEqual([[2, "cache"]]);
  });

  it("the report links each incident to the overlapping action on its component, and only that one", () => {
    const runs = [{ instanceId: "A", startedAt: T0, lastSeenAt: T0 + HOUR }];
    const transitions = [
      ...["database", "cache", "load-balancer"].map((id) => tr(T0, id, "UP", "A")),
      tr(T0 + 10 * MINUTE, "database", "DOWN", "A", "no leader"),
      tr(T0 + 10 * MINUTE + 8 * SECOND, "database", "UP", "A"),
      tr(T0 + 20 * MINUTE, "cache", "DOWN", "A"),
      tr(T0 + 20 * MINUTE + 5 * SECOND, "cache", "UP", "A"),
    ];
    const now = T0 + HOUR;
    const period = resolveReportPeriod({ period: "month" }, now, "UTC");
    const timelines = buildTimelines(cfg, { transitions, runs }, period.from, period.to, now);
    const failovers = slaFailovers(cfg, [
      action(7, "patroni_switchover", "pg-main", T0 + 10 * MINUTE - 2 * SECOND, T0 + 10 * MINUTE + 15 * SECOND),
      // Same time, other component: not the cache's failover.
      action(8, "vrrp_drain", "vi-trading", T0 + 20 * MINUTE - SECOND, T0 + 20 * MINUTE + 3 * SECOND),
    ]);
    const r = buildReport({ config: cfg, period, components: [], timelines, transitions, stored: [], failovers, now });
    expect(r.incidents.map((i) => [i.componentId, i.failoverId])).toEqual([
      ["database", 7],
      ["cache", null],
    ]);
    expect(r.incidents[0]!.failover).toEqual({ id: 7, kind: "patroni_switchover", targetId: "pg-main", state: "succeeded", executingAt: T0 + 10 * MINUTE - 2 * SECOND, finishedAt: T0 + 10 * MINUTE + 15 * SECOND });
  });

  it("the cost preview uses recorded failovers (succeeded, execute → verified) when there are any, else outages, and says so", () => {
    const runs = [{ instanceId: "A", startedAt: T0, lastSeenAt: T0 + HOUR }];
    const transitions = [tr(T0, "database", "UP", "A"), tr(T0 + 10 * MINUTE, "database", "DOWN", "A"), tr(T0 + 10 * MINUTE + 40 * SECOND, "database", "UP", "A")];
    const now = T0 + HOUR;
    const timelines = buildTimelines(cfg, { transitions, runs }, Date.UTC(2026, 0, 1), now, now);
    const db = slaSubjects(cfg).components.find((c) => c.id === "database")!;
    const budgets = (actions: ReturnType<typeof action>[]) => subjectBudgets(db, { config: cfg, timelines, transitions, maintenance: [], failovers: slaFailovers(cfg, actions), now }).failoverCost;

    const fromOutages = budgets([action(1, "patroni_switchover", "pg-main", T0 + 5 * MINUTE, T0 + 5 * MINUTE + 90 * SECOND, "failed")]);
    expect(fromOutages).toMatchObject({ basis: "outages", count: 1, medianMs: 40 * SECOND });
    expect(fromOutages.source).toMatch(/^no failover recorded since 2026-01-01: 1 outage measured from start to end instead$/);

    const fromActions = budgets([
      action(1, "patroni_switchover", "pg-main", T0 + 5 * MINUTE, T0 + 5 * MINUTE + 12 * SECOND),
      action(2, "patroni_switchover", "pg-main", T0 + 6 * MINUTE, T0 + 6 * MINUTE + 20 * SECOND),
      action(3, "sentinel_failover", "redis-main", T0 + 7 * MINUTE, T0 + 7 * MINUTE + 99 * SECOND),
    ]);
    expect(fromActions).toMatchObject({ basis: "actions", count: 2, medianMs: 16 * SECOND });
    expect(fromActions.source).toBe("2 succeeded failovers recorded by the failover workflow, execute to verified, since 2026-01-01");

    const noTransitions = buildTimelines(cfg, { transitions: [], runs }, Date.UTC(2026, 0, 1), now, now);
    const none = subjectBudgets(db, { config: cfg, timelines: noTransitions, transitions: [], maintenance: [], failovers: [], now }).failoverCost;
    expect(none).toMatchObject({ basis: "none", count: 0, summary: null });
  });
});

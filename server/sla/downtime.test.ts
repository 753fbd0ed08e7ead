import { describe, expect, it } from "vitest";
import { measureDowntime, sumMeasures } from "./downtime";
import { calendarPeriod, MINUTE } from "./period";
import type { MaintenanceWindow } from "./policy";
import { buildTimeline, type Segment } from "./timeline";

const T = (iso: string) => Date.parse(iso);
const seg = (start: number, end: number, status: Segment["status"]): Segment => ({ start, end, status });

describe("measureDowntime", () => {
  it("an incident crossing a month boundary is split between the months", () => {
    const down = T("2025-01-31T23:50:00Z");
    const up = T("2025-02-01T00:20:00Z");
    const now = T("2025-02-10T00:00:00Z");
    const { segments } = buildTimeline({
      transitions: [
        { at: T("2025-01-01T00:00:00Z"), toStatus: "UP", instanceId: "a" },
        { at: down, toStatus: "DOWN", instanceId: "a" },
        { at: up, toStatus: "UP", instanceId: "a" },
      ],
      runs: [{ instanceId: "a", startedAt: T("2025-01-01T00:00:00Z"), lastSeenAt: now }],
      from: T("2025-01-01T00:00:00Z"),
      to: now,
      now,
    });
    const jan = measureDowntime({ segments, ...calendarPeriod("month", down), now });
    const feb = measureDowntime({ segments, ...calendarPeriod("month", up), now });
    expect(jan.counted.measures.downMs).toBe(10 * MINUTE);
    expect(jan.counted.incidents).toEqual([
      { start: down, end: T("2025-02-01T00:00:00Z"), durationMs: 10 * MINUTE, open: false, atPeriodStart: false, atPeriodEnd: true, maintenanceMs: 0, statuses: ["DOWN"] },
    ]);
    expect(feb.counted.measures.downMs).toBe(20 * MINUTE);
    expect(feb.counted.incidents[0]).toMatchObject({ start: T("2025-02-01T00:00:00Z"), end: up, atPeriodStart: true, atPeriodEnd: false });
    // February is only elapsed up to now; the rest is not counted at all.
    expect(feb.elapsedMs).toBe(9 * 24 * 60 * MINUTE);
    expect(sumMeasures(feb.counted.measures)).toBe(feb.elapsedMs);
  });

  it("maintenance overlapping an incident: both figures, the policy picks one", () => {
    const segments = [seg(0, 60 * MINUTE, "UP"), seg(60 * MINUTE, 90 * MINUTE, "DOWN"), seg(90 * MINUTE, 240 * MINUTE, "UP")];
    const maintenance: MaintenanceWindow[] = [
      { components: ["db"], start: 80 * MINUTE, end: 110 * MINUTE, reason: "patching" },
      { components: ["*"], start: 100 * MINUTE, end: 120 * MINUTE, reason: "network" },
      { components: ["cache"], start: 0, end: 240 * MINUTE, reason: "not ours" },
    ];
    const base = { segments, from: 0, to: 240 * MINUTE, now: 240 * MINUTE, componentId: "db", maintenance };
    const counted = measureDowntime({ ...base, policy: { countsAsDown: ["DOWN"], maintenance: "count" } });
    expect(counted.maintenanceMs).toBe(40 * MINUTE); // 80–110 ∪ 100–120
    expect(counted.maintenanceWindows).toHaveLength(2);
    expect(counted.includingMaintenance.measures).toMatchObject({ downMs: 30 * MINUTE, upMs: 210 * MINUTE, maintenanceMs: 0 });
    expect(counted.includingMaintenance.incidents).toEqual([
      { start: 60 * MINUTE, end: 90 * MINUTE, durationMs: 30 * MINUTE, open: false, atPeriodStart: false, atPeriodEnd: false, maintenanceMs: 10 * MINUTE, statuses: ["DOWN"] },
    ]);
    expect(counted.excludingMaintenance.measures).toMatchObject({ downMs: 20 * MINUTE, upMs: 180 * MINUTE, maintenanceMs: 40 * MINUTE });
    expect(counted.excludingMaintenance.incidents).toMatchObject([{ start: 60 * MINUTE, end: 80 * MINUTE, durationMs: 20 * MINUTE }]);
    expect(counted.counted).toBe(counted.includingMaintenance);

    const excluded = measureDowntime({ ...base, policy: { countsAsDown: ["DOWN"], maintenance: "exclude" } });
    expect(excluded.counted).toBe(excluded.excludingMaintenance);
    // Set-aside maintenance is neither up nor down: it leaves the availability's denominators.
    expect(excluded.counted.availability.knownPercent).toBeCloseTo((100 * 180) / 200, 10);
  });

  it("maintenance in the middle of an incident splits it in the excluding view only", () => {
    const segments = [seg(0, 100, "DOWN")];
    const r = measureDowntime({ segments, from: 0, to: 100, now: 150, componentId: "db", maintenance: [{ components: ["db"], start: 40, end: 60, reason: "" }] });
    expect(r.includingMaintenance.incidents.map((i) => [i.start, i.end, i.maintenanceMs])).toEqual([[0, 100, 20]]);
    expect(r.excludingMaintenance.incidents.map((i) => [i.start, i.end])).toEqual([
      [0, 40],
      [60, 100],
    ]);
  });

  it("an open incident at now has no end; its duration runs to now", () => {
    const r = measureDowntime({ segments: [seg(0, 50, "UP"), seg(50, 80, "DOWN")], from: 0, to: 1000, now: 80 });
    expect(r.counted.incidents).toEqual([{ start: 50, end: null, durationMs: 30, open: true, atPeriodStart: false, atPeriodEnd: false, maintenanceMs: 0, statuses: ["DOWN"] }]);
    expect(r.elapsedMs).toBe(80);
    expect(r.periodMs).toBe(1000);
  });

  it("an incident cut short by a crash is closed at the crash, not open", () => {
    const r = measureDowntime({ segments: [seg(0, 50, "UP"), seg(50, 70, "DOWN"), seg(70, 80, "UNKNOWN")], from: 0, to: 1000, now: 80 });
    expect(r.counted.incidents).toMatchObject([{ start: 50, end: 70, open: false }]);
    expect(r.counted.measures.unknownMs).toBe(10);
  });

  it("gaps are unknown: uncovered time is UNKNOWN, excluded from known availability, down in the pessimistic one", () => {
    const r = measureDowntime({ segments: [seg(0, 40, "UP"), seg(60, 90, "UP"), seg(90, 100, "DOWN")], from: 0, to: 100, now: 100 });
    expect(r.counted.measures).toEqual({ upMs: 70, downMs: 10, degradedMs: 0, staleMs: 0, noDataMs: 0, unknownMs: 20, maintenanceMs: 0 });
    expect(r.byStatus.UNKNOWN).toBe(20);
    expect(r.counted.availability.knownPercent).toBeCloseTo(87.5, 10);
    expect(r.counted.availability.pessimisticPercent).toBeCloseTo(70, 10);
  });

  it("DEGRADED and STALE are reported apart and do not count by default; the policy can make them count", () => {
    const segments = [seg(0, 10, "DOWN"), seg(10, 30, "STALE"), seg(30, 60, "DEGRADED"), seg(60, 70, "NO_DATA"), seg(70, 100, "UP")];
    const d = measureDowntime({ segments, from: 0, to: 100, now: 100 });
    expect(d.counted.measures).toEqual({ upMs: 30, downMs: 10, degradedMs: 30, staleMs: 20, noDataMs: 10, unknownMs: 0, maintenanceMs: 0 });
    expect(d.counted.incidents).toHaveLength(1);
    // The incident starts at the period's start: it may have begun before.
    expect(d.counted.incidents[0]!.atPeriodStart).toBe(true);
    const strict = measureDowntime({ segments, from: 0, to: 100, now: 100, policy: { countsAsDown: ["DOWN", "STALE"], maintenance: "count" } });
    expect(strict.counted.measures).toMatchObject({ downMs: 30, staleMs: 0 });
    // DOWN then STALE, both counting: one incident, not two overlapping ones.
    expect(strict.counted.incidents).toMatchObject([{ start: 0, end: 30, durationMs: 30, statuses: ["DOWN", "STALE"] }]);
  });

  it("segments beyond the period or now are clipped; overlapping segments are not counted twice", () => {
    const r = measureDowntime({ segments: [seg(-50, 30, "DOWN"), seg(20, 500, "UP")], from: 0, to: 200, now: 100 });
    expect(r.counted.measures).toMatchObject({ downMs: 30, upMs: 70 });
    expect(sumMeasures(r.counted.measures)).toBe(100);
  });

  it("now before the period: nothing elapsed, nothing known", () => {
    const r = measureDowntime({ segments: [], from: 100, to: 200, now: 50 });
    expect(r.elapsedMs).toBe(0);
    expect(r.counted.availability).toEqual({ knownPercent: null, pessimisticPercent: null, goodMs: 0, knownMs: 0 });
  });
});

import { describe, expect, it } from "vitest";
import { allowedDowntimeMs, computeBudget } from "./budget";
import { DAY, MINUTE, SECOND } from "./period";
import type { Segment } from "./timeline";

const T = (iso: string) => Date.parse(iso);
const seg = (start: number, end: number, status: Segment["status"]): Segment => ({ start, end, status });

describe("allowedDowntimeMs", () => {
  it("matches the seed's table per 365-day year and the usual monthly figures", () => {
    expect(allowedDowntimeMs(99.995, 365 * DAY)).toBe(26.28 * MINUTE);
    expect(allowedDowntimeMs(99.99, 365 * DAY)).toBe(52.56 * MINUTE);
    expect(allowedDowntimeMs(99.999, 365 * DAY)).toBe(315_360); // 5.256 min
    expect(allowedDowntimeMs(99.99, 30 * DAY)).toBe(259_200); // 4 min 19.2 s
    expect(allowedDowntimeMs(100, 30 * DAY)).toBe(0);
    expect(() => allowedDowntimeMs(101, DAY)).toThrow(RangeError);
  });
});

describe("computeBudget", () => {
  const may = T("2025-05-01T00:00:00Z");
  const now = T("2025-05-11T00:00:00Z"); // 10 days into a 31-day month
  const upTo = (t: number) => [seg(may, t, "UP")];

  it("allowed, used, remaining and a linear projection over a calendar month", () => {
    const down = T("2025-05-05T12:00:00Z");
    const segments = [seg(may, down, "UP"), seg(down, down + 60 * SECOND, "DOWN"), seg(down + 60 * SECOND, now, "UP")];
    const b = computeBudget({ targetPercent: 99.99, window: { kind: "month" }, now, segments });
    expect(b).toMatchObject({ from: may, to: T("2025-06-01T00:00:00Z"), lengthMs: 31 * DAY, elapsedMs: 10 * DAY, allowedMs: 267_840 });
    expect(b).toMatchObject({ usedMs: 60_000, remainingMs: 207_840, exhausted: false, exhaustedAt: null });
    // 60 s per 10 days: the 207.84 s left last 34.64 days more, past the month's end.
    expect(b.projectedExhaustionAt).toBe(now + Math.round((207_840 * 10 * DAY) / 60_000));
    expect(b.projectedBeforeWindowEnd).toBe(false);
    expect(b.burnRate).toBeCloseTo(60_000 / (10 * DAY) / 0.0001, 6);
    expect(b.achieved.knownPercent).toBeCloseTo(100 * (1 - 60_000 / (10 * DAY)), 10);
  });

  it("an overspent budget goes negative, is exhausted, and says when it ran out", () => {
    const segments = [seg(may, may + DAY, "UP"), seg(may + DAY, may + DAY + 3 * MINUTE, "DOWN"), seg(may + DAY + 3 * MINUTE, may + 2 * DAY, "UP"), seg(may + 2 * DAY, may + 2 * DAY + 2 * MINUTE, "DOWN"), seg(may + 2 * DAY + 2 * MINUTE, now, "UP")];
    const b = computeBudget({ targetPercent: 99.99, window: { kind: "month" }, now, segments });
    expect(b.usedMs).toBe(5 * MINUTE);
    expect(b.remainingMs).toBe(267_840 - 300_000);
    expect(b.exhausted).toBe(true);
    // 180 s from the first incident, then 87.84 s into the second.
    expect(b.exhaustedAt).toBe(may + 2 * DAY + 87_840);
    expect(b.projectedExhaustionAt).toBe(b.exhaustedAt);
    expect(b.projectedBeforeWindowEnd).toBe(true);
    expect(b.usedShare).toBeCloseTo(300_000 / 267_840, 12);
  });

  it("no downtime: nothing used, no projection", () => {
    const b = computeBudget({ targetPercent: 99.999, window: { kind: "month" }, now, segments: upTo(now) });
    expect(b).toMatchObject({ usedMs: 0, exhausted: false, projectedExhaustionAt: null, projectedBeforeWindowEnd: null, burnRate: 0 });
  });

  it("gaps: unknown is reported, excluded from known availability and counted down in the pessimistic one", () => {
    const segments = [seg(may, may + 5 * DAY, "UP"), seg(may + 6 * DAY, now, "UP")];
    const b = computeBudget({ targetPercent: 99.99, window: { kind: "month" }, now, segments });
    expect(b.unknownMs).toBe(DAY);
    expect(b.usedMs).toBe(0);
    expect(b.usedIfUnknownDownMs).toBe(DAY);
    expect(b.achieved.knownPercent).toBe(100);
    expect(b.achieved.pessimisticPercent).toBeCloseTo(90, 10);
  });

  it("a rolling 30-day window ends at now; its projection is not tied to a window end", () => {
    const from = now - 30 * DAY;
    const segments = [seg(from, now - DAY, "UP"), seg(now - DAY, now - DAY + MINUTE, "DOWN"), seg(now - DAY + MINUTE, now, "UP")];
    const b = computeBudget({ targetPercent: 99.99, window: { kind: "rolling", days: 30 }, now, segments });
    expect(b).toMatchObject({ from, to: now, elapsedMs: 30 * DAY, allowedMs: 259_200, usedMs: MINUTE, remainingMs: 199_200, projectedBeforeWindowEnd: null });
  });

  it("maintenance: both figures; the top level follows the policy", () => {
    const d = T("2025-05-03T02:00:00Z");
    const segments = [seg(may, d, "UP"), seg(d, d + 10 * MINUTE, "DOWN"), seg(d + 10 * MINUTE, now, "UP")];
    const maintenance = [{ components: ["database"], start: d - MINUTE, end: d + 6 * MINUTE, reason: "minor upgrade" }];
    const input = { targetPercent: 99.99, window: { kind: "month" as const }, now, segments, componentId: "database", maintenance };
    const excl = computeBudget({ ...input, policy: { countsAsDown: ["DOWN"], maintenance: "exclude" } });
    expect(excl.maintenancePolicy).toBe("exclude");
    expect(excl.usedMs).toBe(4 * MINUTE);
    expect(excl.includingMaintenance.usedMs).toBe(10 * MINUTE);
    expect(excl.excludingMaintenance.usedMs).toBe(4 * MINUTE);
    expect(excl.maintenanceMs).toBe(7 * MINUTE);
    expect(excl.includingMaintenance.exhausted).toBe(true);
    expect(excl.exhausted).toBe(false);
    const count = computeBudget(input);
    expect(count.maintenancePolicy).toBe("count");
    expect(count.usedMs).toBe(10 * MINUTE);
  });

  it("a time zone option moves the calendar month", () => {
    const b = computeBudget({ targetPercent: 99.99, window: { kind: "month", timeZone: "Europe/Berlin" }, now, segments: [] });
    expect(b.from).toBe(T("2025-04-30T22:00:00Z"));
    expect(b.unknownMs).toBe(b.elapsedMs);
  });
});

import { describe, expect, it } from "vitest";
import {
  DAY,
  HOUR,
  MINUTE,
  SECOND,
  chooseResolution,
  fillGaps,
  floorTo,
  planSeries,
  retentionCutoffs,
  rollupWindow,
} from "./buckets";

const NOW = Date.UTC(2026, 5, 15, 12, 0, 0);

describe("chooseResolution", () => {
  it("picks the table by range length", () => {
    expect(chooseResolution(NOW - 2 * HOUR, NOW, NOW)).toBe("raw");
    expect(chooseResolution(NOW - 2 * HOUR - 1, NOW, NOW)).toBe("1m");
    expect(chooseResolution(NOW - 3 * DAY, NOW, NOW)).toBe("1m");
    expect(chooseResolution(NOW - 3 * DAY - 1, NOW, NOW)).toBe("1h");
    expect(chooseResolution(NOW - 400 * DAY, NOW, NOW)).toBe("1h");
  });

  it("moves to a coarser table when the finer one's retention no longer covers `from`", () => {
    // One hour, two days ago: raw is kept 26 h only.
    expect(chooseResolution(NOW - 2 * DAY, NOW - 2 * DAY + HOUR, NOW)).toBe("1m");
    // One day, 40 days ago: 1m is kept 31 days only.
    expect(chooseResolution(NOW - 40 * DAY, NOW - 39 * DAY, NOW)).toBe("1h");
    expect(chooseResolution(NOW - 25 * HOUR, NOW - 24 * HOUR, NOW)).toBe("raw");
  });
});

describe("planSeries", () => {
  it("uses the table's own step while it fits in maxPoints", () => {
    const p = planSeries(NOW - 10 * MINUTE, NOW, NOW, 1000);
    expect(p).toEqual({ resolution: "raw", stepMs: SECOND, originMs: NOW - 10 * MINUTE, toMs: NOW, buckets: 600 });
  });

  it("widens buckets to whole multiples of the table step to stay within maxPoints", () => {
    const p = planSeries(NOW - 2 * HOUR, NOW, NOW, 1000);
    expect(p.resolution).toBe("raw");
    expect(p.stepMs % SECOND).toBe(0);
    expect(p.stepMs).toBe(8 * SECOND);
    expect(p.buckets).toBeLessThanOrEqual(1000);
  });

  it("30 days over 1h rollups: 720 hourly buckets by default, fewer when asked", () => {
    const p = planSeries(NOW - 30 * DAY, NOW, NOW, 1000);
    expect(p).toMatchObject({ resolution: "1h", stepMs: HOUR, buckets: 720 });
    const q = planSeries(NOW - 30 * DAY, NOW, NOW, 100);
    expect(q.stepMs % HOUR).toBe(0);
    expect(q.buckets).toBeLessThanOrEqual(100);
  });

  it("never exceeds maxPoints, also for unaligned ranges", () => {
    for (const maxPoints of [2, 3, 7, 50, 999, 1000]) {
      for (const [from, to] of [
        [NOW - 2 * HOUR + 123, NOW + 457],
        [NOW - 3 * DAY + 59_999, NOW + 1],
        [NOW - 30 * DAY - 1, NOW + 3_599_999],
        [NOW - 1500, NOW - 500],
      ] as const) {
        const p = planSeries(from, to, NOW, maxPoints);
        expect(p.buckets).toBeLessThanOrEqual(maxPoints);
        expect(p.originMs).toBeLessThanOrEqual(from);
        expect(p.originMs + p.buckets * p.stepMs).toBeGreaterThanOrEqual(to);
        expect(p.originMs % p.stepMs).toBe(0);
      }
    }
  });

  it("rejects an empty range and maxPoints below 2", () => {
    expect(() => planSeries(NOW, NOW, NOW, 10)).toThrow(RangeError);
    expect(() => planSeries(NOW - HOUR, NOW, NOW, 1)).toThrow(RangeError);
  });
});

describe("fillGaps", () => {
  it("returns every bucket in order with nulls where no row came back", () => {
    const plan = planSeries(NOW - 5 * SECOND, NOW, NOW, 1000);
    const out = fillGaps(plan, [
      { i: 0, avg: 1, min: 1, max: 1 },
      { i: 3, avg: 2, min: 1, max: 3 },
    ]);
    expect(out).toEqual([
      { t: NOW - 5000, avg: 1, min: 1, max: 1 },
      { t: NOW - 4000, avg: null, min: null, max: null },
      { t: NOW - 3000, avg: null, min: null, max: null },
      { t: NOW - 2000, avg: 2, min: 1, max: 3 },
      { t: NOW - 1000, avg: null, min: null, max: null },
    ]);
  });

  it("ignores rows outside the plan", () => {
    const plan = planSeries(NOW - 2 * SECOND, NOW, NOW, 1000);
    expect(fillGaps(plan, [{ i: 5, avg: 1, min: 1, max: 1 }]).every((p) => p.avg === null)).toBe(true);
  });
});

describe("rollupWindow", () => {
  const base = { stepMs: MINUTE, lookbackMs: 5 * MINUTE, nowMs: NOW + 30 * SECOND };

  it("first pass starts at the oldest source row and stops before the incomplete bucket", () => {
    expect(rollupWindow({ ...base, doneUntilMs: null, oldestSourceMs: NOW - HOUR + 12_345 })).toEqual({ fromMs: NOW - HOUR, toMs: NOW });
  });

  it("later passes recompute the lookback before the watermark", () => {
    expect(rollupWindow({ ...base, doneUntilMs: NOW, oldestSourceMs: NOW - DAY })).toEqual({ fromMs: NOW - 5 * MINUTE, toMs: NOW });
  });

  it("skips an empty stretch after a long stop", () => {
    expect(rollupWindow({ ...base, doneUntilMs: NOW - 10 * DAY, oldestSourceMs: NOW - HOUR })).toEqual({ fromMs: NOW - HOUR, toMs: NOW });
  });

  it("has nothing to do without data, or when the clock went back", () => {
    expect(rollupWindow({ ...base, doneUntilMs: null, oldestSourceMs: null })).toBeNull();
    expect(rollupWindow({ ...base, doneUntilMs: NOW + HOUR, oldestSourceMs: NOW - DAY })).toBeNull();
  });
});

describe("retention", () => {
  it("keeps raw 26 h, 1m 31 days, 1h 400 days", () => {
    expect(retentionCutoffs(NOW)).toEqual({ raw: NOW - 26 * HOUR, "1m": NOW - 31 * DAY, "1h": NOW - 400 * DAY });
  });

  it("floorTo aligns to the epoch", () => {
    expect(floorTo(NOW + 59_999, MINUTE)).toBe(NOW);
  });
});

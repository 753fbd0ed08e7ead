import { describe, expect, it } from "vitest";
import { failoverCost, failoverDurations, quantile } from "./failover-cost";

const T = (iso: string) => Date.parse(iso);

describe("quantile", () => {
  it("interpolates between closest ranks", () => {
    expect(quantile([], 0.5)).toBeNull();
    expect(quantile([7], 0.9)).toBe(7);
    expect(quantile([1, 2], 0.5)).toBe(1.5);
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBeCloseTo(9.1, 12);
  });
});

describe("failoverCost", () => {
  it("a typical failover as a share of this month's budget", () => {
    // June: 30 days at 99.99% allows 259.2 s.
    const c = failoverCost({ durationsMs: [14_000, 9_000, 12_000, 30_000, 10_000], targetPercent: 99.99, now: T("2025-06-10T00:00:00Z"), remainingMs: 120_000 });
    expect(c).toMatchObject({ count: 5, medianMs: 12_000, monthlyBudgetMs: 259_200, failoversPerMonth: 21 });
    expect(c.p90Ms).toBeCloseTo(23_600, 6);
    expect(c.medianShare).toBeCloseTo(12_000 / 259_200, 12);
    expect(c.medianShareOfRemaining).toBeCloseTo(0.1, 12);
    expect(c.summary).toBe("One failover (median 12.0 s) uses 4.6% of this month's budget (p90: 9.1%).");
  });

  it("no measured failovers: no figures; bad values dropped", () => {
    const c = failoverCost({ durationsMs: [Number.NaN, -5], targetPercent: 99.99, now: 0 });
    expect(c).toMatchObject({ count: 0, medianMs: null, p90Ms: null, medianShare: null, summary: null, failoversPerMonth: null, medianShareOfRemaining: null });
    expect(c.monthlyBudgetMs).toBe(267_840); // January 1970: 31 days
  });
});

describe("failoverDurations", () => {
  it("recorded failovers when there are any, else measured outages, else nothing; says which", () => {
    expect(failoverDurations([12_000, 9_000], [30_000])).toEqual({ basis: "actions", durationsMs: [12_000, 9_000] });
    expect(failoverDurations([], [30_000, 20_000])).toEqual({ basis: "outages", durationsMs: [30_000, 20_000] });
    // Unusable recorded figures do not hide the outages.
    expect(failoverDurations([Number.NaN, -1], [30_000])).toEqual({ basis: "outages", durationsMs: [30_000] });
    expect(failoverDurations([], [Number.POSITIVE_INFINITY])).toEqual({ basis: "none", durationsMs: [] });
  });
});

import { describe, expect, it } from "vitest";
import { burnOver, evaluateBurnAlerts, SRE_WORKBOOK_RULES, type BurnRule } from "./burn";
import { DAY, HOUR, MINUTE } from "./period";
import type { Segment } from "./timeline";

const now = 10 * DAY;
const seg = (start: number, end: number, status: Segment["status"]): Segment => ({ start, end, status });
/** UP for the last 10 days, with the given stretches DOWN (relative to now, in ms before it). */
function upWithDown(...downs: [number, number][]): Segment[] {
  const out: Segment[] = [];
  let t = 0;
  for (const [a, b] of downs.map(([x, y]) => [now - x, now - y]).sort((p, q) => p[0]! - q[0]!)) {
    if (a! > t) out.push(seg(t, a!, "UP"));
    out.push(seg(a!, b!, "DOWN"));
    t = b!;
  }
  if (t < now) out.push(seg(t, now, "UP"));
  return out;
}

describe("burn rates", () => {
  it("burn = downtime fraction over known time / (1 − target)", () => {
    const f = burnOver({ segments: upWithDown([HOUR, HOUR - 6 * MINUTE]), now, targetPercent: 99.9, windowMs: HOUR });
    expect(f).toMatchObject({ windowMs: HOUR, from: now - HOUR, to: now, downMs: 6 * MINUTE, knownMs: HOUR, unknownMs: 0 });
    expect(f.downFraction).toBeCloseTo(0.1, 12);
    expect(f.burnRate).toBeCloseTo(100, 6);
  });

  it("pages when both the 1 h and the 5 min windows burn ≥ 14.4", () => {
    // 99.9%: 14.4× over an hour = 51.84 s of downtime; it is still going on.
    const a = evaluateBurnAlerts({ segments: upWithDown([2 * MINUTE, 0]), now, targetPercent: 99.9 });
    expect(a.page).toBe(true);
    expect(a.firing.map((x) => x.rule.name)).toContain("fast burn");
    const fast = a.alerts.find((x) => x.rule.name === "fast burn")!;
    expect(fast.long.burnRate).toBeCloseTo((2 / 60) / 0.001, 6);
    expect(fast.short.burnRate).toBeCloseTo((2 / 5) / 0.001, 6);
  });

  it("does not page once the short window has recovered, though the long one still burns", () => {
    const a = evaluateBurnAlerts({ segments: upWithDown([50 * MINUTE, 48 * MINUTE]), now, targetPercent: 99.9 });
    const fast = a.alerts.find((x) => x.rule.name === "fast burn")!;
    expect(fast.long.burnRate!).toBeGreaterThan(14.4);
    expect(fast.short.burnRate).toBe(0);
    expect(fast.firing).toBe(false);
  });

  it("fires at exactly the factor despite binary fractions", () => {
    // 99.9% over 1 h: 14.4× is exactly 51.84 s; 5 min: 4.32 s.
    const rule: BurnRule = { name: "edge", severity: "page", factor: 14.4, longWindowMs: HOUR, shortWindowMs: 5 * MINUTE };
    const a = evaluateBurnAlerts({ segments: upWithDown([HOUR, HOUR - 47_520], [4_320, 0]), now, targetPercent: 99.9, rules: [rule] });
    expect(a.alerts[0]!.long.downMs).toBe(51_840);
    expect(a.firing).toHaveLength(1);
  });

  it("tickets at 1× over 3 days and 6 h", () => {
    // 99.9% over 3 days allows 259.2 s; 300 s in the last 6 h trips both.
    const a = evaluateBurnAlerts({ segments: upWithDown([3 * HOUR, 3 * HOUR - 300_000]), now, targetPercent: 99.9 });
    expect(a.ticket).toBe(true);
    expect(a.page).toBe(false);
    expect(a.firing.map((x) => x.rule.severity)).toEqual(["ticket"]);
  });

  it("the workbook's table by default, any windows and factors when given", () => {
    expect(SRE_WORKBOOK_RULES.map((r) => [r.severity, r.factor, r.longWindowMs, r.shortWindowMs])).toEqual([
      ["page", 14.4, HOUR, 5 * MINUTE],
      ["page", 6, 6 * HOUR, 30 * MINUTE],
      ["ticket", 1, 3 * DAY, 6 * HOUR],
    ]);
    const a = evaluateBurnAlerts({ segments: upWithDown([10 * MINUTE, 9 * MINUTE]), now, targetPercent: 99, rules: [{ name: "x", severity: "ticket", factor: 2, longWindowMs: 20 * MINUTE, shortWindowMs: 10 * MINUTE }] });
    expect(a.alerts).toHaveLength(1);
    expect(a.ticket).toBe(true);
  });

  it("an unmonitored window says nothing: no burn figure, no alert, the gap reported", () => {
    const a = evaluateBurnAlerts({ segments: [seg(0, now - HOUR, "DOWN")], now, targetPercent: 99.9 });
    const fast = a.alerts.find((x) => x.rule.name === "fast burn")!;
    expect(fast.long).toMatchObject({ knownMs: 0, unknownMs: HOUR, downFraction: null, burnRate: null });
    expect(fast.firing).toBe(false);
    // The longer windows do see the old downtime.
    expect(a.alerts.find((x) => x.rule.name === "slow burn")!.long.burnRate!).toBeGreaterThan(1);
  });
});

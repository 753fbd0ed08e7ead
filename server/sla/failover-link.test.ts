import { describe, expect, it } from "vitest";
import { actionInterval, linkedFailover, measuredFailovers, type FailoverSpan } from "./failover-link";

const S = 1000;
const act = (id: number, executingAt: number | null, finishedAt: number | null, more: Partial<FailoverSpan> = {}): FailoverSpan => ({
  id,
  kind: "patroni_switchover",
  componentId: "database",
  state: finishedAt === null ? "verifying" : "succeeded",
  executingAt,
  finishedAt,
  ...more,
});
const inc = (start: number, end: number | null, componentId = "database") => ({ componentId, start, end });
const NOW = 1_000 * S;

describe("linkedFailover", () => {
  it("links an action whose execute→verified interval overlaps the incident", () => {
    expect(linkedFailover(inc(100 * S, 112 * S), [act(1, 98 * S, 115 * S)], NOW)?.id).toBe(1);
    // The incident starting before execution and ending inside it, or the other way round.
    expect(linkedFailover(inc(90 * S, 99 * S), [act(1, 98 * S, 115 * S)], NOW)?.id).toBe(1);
    expect(linkedFailover(inc(114 * S, 130 * S), [act(1, 98 * S, 115 * S)], NOW)?.id).toBe(1);
  });

  it("touching ends do not overlap (half-open intervals)", () => {
    expect(linkedFailover(inc(115 * S, 130 * S), [act(1, 98 * S, 115 * S)], NOW)).toBeNull();
    expect(linkedFailover(inc(80 * S, 98 * S), [act(1, 98 * S, 115 * S)], NOW)).toBeNull();
    expect(linkedFailover(inc(80 * S, 98 * S + 1), [act(1, 98 * S, 115 * S)], NOW)?.id).toBe(1);
  });

  it("only actions on a target of the incident's component", () => {
    expect(linkedFailover(inc(100 * S, 112 * S, "cache"), [act(1, 98 * S, 115 * S)], NOW)).toBeNull();
    expect(linkedFailover(inc(100 * S, 112 * S, "cache"), [act(1, 98 * S, 115 * S), act(2, 99 * S, 104 * S, { componentId: "cache" })], NOW)?.id).toBe(2);
  });

  it("an action that never executed is no failover", () => {
    expect(linkedFailover(inc(100 * S, 112 * S), [act(1, null, 105 * S, { state: "refused" })], NOW)).toBeNull();
  });

  it("an open incident reaches now; an action still in flight reaches now", () => {
    expect(linkedFailover(inc(100 * S, null), [act(1, 500 * S, null)], NOW)?.id).toBe(1);
    expect(linkedFailover(inc(100 * S, 112 * S), [act(1, 50 * S, null)], NOW)?.id).toBe(1);
    // ... but not beyond now: an action executing after now (a clock jump) overlaps nothing open.
    expect(linkedFailover(inc(100 * S, null), [act(1, NOW + S, null)], NOW)).toBeNull();
  });

  it("an instant action (executed and finished at once) links to the incident it falls inside", () => {
    expect(linkedFailover(inc(100 * S, 112 * S), [act(1, 105 * S, 105 * S, { state: "failed" })], NOW)?.id).toBe(1);
    expect(linkedFailover(inc(100 * S, 112 * S), [act(1, 112 * S, 112 * S, { state: "failed" })], NOW)).toBeNull();
  });

  it("of several, the longest overlap wins, then the latest to start", () => {
    const i = inc(100 * S, 120 * S);
    expect(linkedFailover(i, [act(1, 90 * S, 105 * S), act(2, 104 * S, 125 * S), act(3, 110 * S, 112 * S)], NOW)?.id).toBe(2);
    expect(linkedFailover(i, [act(1, 95 * S, 105 * S), act(2, 115 * S, 125 * S)], NOW)?.id).toBe(2);
    expect(linkedFailover(i, [act(2, 115 * S, 125 * S), act(1, 95 * S, 105 * S)], NOW)?.id).toBe(2);
  });

  it("actionInterval: a finish recorded before the start (clock step) is an instant", () => {
    expect(actionInterval(act(1, 100 * S, 90 * S), NOW)).toEqual({ start: 100 * S, end: 100 * S });
    expect(actionInterval(act(1, null, null), NOW)).toBeNull();
  });
});

describe("measuredFailovers", () => {
  it("execute start → verified of succeeded actions only", () => {
    expect(
      measuredFailovers([
        act(1, 100 * S, 112 * S),
        act(2, 200 * S, 230 * S, { state: "failed" }),
        act(3, 300 * S, null),
        act(4, 400 * S, 460 * S, { state: "unknown" }),
        act(5, 500 * S, 509 * S, { kind: "sentinel_failover", componentId: "cache" }),
        act(6, null, 600 * S, { state: "succeeded" }),
      ]),
    ).toEqual([12 * S, 9 * S]);
  });
});

import { describe, expect, it } from "vitest";
import { ALL, RefusalLimiter } from "./refusal-limit";

const limit = { windowMs: 1000, max: 2, maxTotal: 3 };

describe("refusal limiter", () => {
  it("records max per key per window, counts the rest, and hands the count over once the window ends", () => {
    const l = new RefusalLimiter<string>("everyone", limit);
    expect([0, 1, 2, 3].map((t) => l.admit("a", "A", t).record)).toEqual([true, true, false, false]);
    expect(l.nextFlushAt()).toBe(1000);
    const next = l.admit("a", "A", 1000);
    expect(next.record).toBe(true);
    expect(next.ended).toEqual([{ key: "a", who: "A", count: 2, from: 2, to: 3 }]);
    expect(l.admit("a", "A", 1001).ended).toEqual([]);
  });

  it("caps everyone together, and counts what that cap drops against everyone", () => {
    const l = new RefusalLimiter<string>("everyone", limit);
    expect(["a", "b", "c", "d", "e"].map((k) => l.admit(k, k.toUpperCase(), 10).record)).toEqual([true, true, true, false, false]);
    expect(l.takeEnded(500)).toEqual([]);
    expect(l.takeEnded(1010)).toEqual([{ key: ALL, who: "everyone", count: 2, from: 10, to: 10 }]);
    expect(l.nextFlushAt()).toBeNull();
  });
});

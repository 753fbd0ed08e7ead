import { afterEach, describe, expect, it } from "vitest";
import type { ProbeResult } from "@/server/collectors/types";
import { backoffFactor, Scheduler, SCHEDULER_DEFAULTS, startProbe, type ProbeFn, type ScheduledUnit } from "./scheduler";

type TestUnit = ScheduledUnit & { targetId: string };
const unit = (key: string, intervalMs = 40, timeoutMs = 30): TestUnit => ({ key, kind: "http", targetId: key, intervalMs, timeoutMs });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ok: ProbeResult<unknown> = { ok: true, latencyMs: 1, data: null };

let scheduler: Scheduler<TestUnit> | undefined;
afterEach(() => scheduler?.stop());

function run(probe: ProbeFn<TestUnit>, units: TestUnit[], options = {}) {
  const results: { key: string; ok: boolean; at: number }[] = [];
  scheduler = new Scheduler<TestUnit>({ probe, onResult: (u, r, at) => results.push({ key: u.key, ok: r.ok, at }) }, options);
  scheduler.start(units);
  return results;
}

describe("Scheduler", () => {
  it("never has two probes in flight for one unit, even when its collector ignores the deadline", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const results = run(
      async () => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await sleep(100); // ignores its signal, outlives interval and deadline
        inFlight--;
        return ok;
      },
      [unit("slow", 20, 20)],
      { graceMs: 10 },
    );
    await sleep(400);
    expect(maxInFlight).toBe(1);
    // The stuck guard reports it as failed at deadline + grace instead of waiting for it.
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((r) => !r.ok)).toBe(true);
  });

  it("a hung unit does not delay a healthy one", async () => {
    const results = run(
      (u, signal) =>
        u.key === "hung"
          ? new Promise((resolve) => signal.addEventListener("abort", () => resolve({ ok: false, latencyMs: 30, error: "deadline" })))
          : Promise.resolve(ok),
      [unit("hung"), unit("healthy")],
    );
    await sleep(500);
    const healthy = results.filter((r) => r.key === "healthy");
    // 500 ms at 40 ms intervals is 12 probes; allow slack for a loaded machine, but far more than the hung one.
    expect(healthy.length).toBeGreaterThanOrEqual(8);
    expect(healthy.every((r) => r.ok)).toBe(true);
    const stats = scheduler!.takeStats();
    expect(stats.units).toBe(2);
  });

  it("backs off a unit that keeps failing and leaves a healthy one at full rate", async () => {
    const results = run(
      async (u) => (u.key === "down" ? { ok: false, latencyMs: 0, error: "refused" } : ok),
      [unit("down", 20), unit("up", 20)],
      { backoffAfter: 2, maxBackoffFactor: 8 },
    );
    await sleep(600);
    const down = results.filter((r) => r.key === "down").length;
    const up = results.filter((r) => r.key === "up").length;
    expect(up).toBeGreaterThan(down * 2);
  });

  it("trigger probes a unit at once", async () => {
    const results = run(async () => ok, [unit("a", 10_000)]);
    await sleep(50);
    const before = results.length;
    expect(scheduler!.trigger((u) => u.key === "a")).toBe(1);
    await sleep(20);
    expect(results.length).toBe(before + 1);
  });

  it("recentLateness sees a blocked event loop, and takeStats does not consume it", async () => {
    run(async () => ok, [unit("a", 20)]);
    await sleep(100);
    const block = performance.now() + 300;
    while (performance.now() < block);
    await sleep(60);
    scheduler!.takeStats();
    const late = scheduler!.recentLateness(60_000);
    expect(late.length).toBeGreaterThan(3);
    expect(late.at(-1)).toBeGreaterThan(200);
    expect(late).toEqual([...late].sort((a, b) => a - b));
    expect(scheduler!.recentLateness(0)).toEqual([]);
  });

  it("reports a collector that throws as a failed probe instead of crashing", async () => {
    const results = run(async () => {
      throw new Error("boom");
    }, [unit("bug")]);
    await sleep(100);
    expect(results.length).toBeGreaterThan(0);
    expect(results[0]!.ok).toBe(false);
  });
});

describe("backoffFactor", () => {
  it("doubles after the threshold up to the cap", () => {
    expect([0, 3, 4, 5, 6, 9].map((f) => backoffFactor(f, 3, 4))).toEqual([1, 1, 2, 4, 4, 4]);
  });

  it("by default never spaces a failing unit's results as far as the evaluator's gap (3 intervals)", () => {
    // Otherwise a target that is down reads STALE between its slowed probes, and STALE is not downtime.
    const worst = Math.max(...Array.from({ length: 20 }, (_, f) => backoffFactor(f, SCHEDULER_DEFAULTS.backoffAfter, SCHEDULER_DEFAULTS.maxBackoffFactor)));
    expect(worst).toBe(2);
    expect(worst).toBeLessThan(3);
  });
});

describe("startProbe deadline", () => {
  it("never aborts the signal of a probe that finished in time", async () => {
    let seen: AbortSignal | undefined;
    const { report } = startProbe(async (_u, signal) => {
      seen = signal;
      return ok;
    }, unit("quick", 40, 30));
    expect((await report).ok).toBe(true);
    await sleep(80); // past the deadline
    expect(seen!.aborted).toBe(false);
  });

  it("aborts a probe still running at its deadline with a TimeoutError", async () => {
    let seen: AbortSignal | undefined;
    const { report } = startProbe(
      (_u, signal) => {
        seen = signal;
        return new Promise<ProbeResult<unknown>>((resolve) => signal.addEventListener("abort", () => resolve({ ok: false, latencyMs: 30, error: "deadline" })));
      },
      unit("slow", 40, 30),
    );
    expect((await report).ok).toBe(false);
    expect(seen!.aborted).toBe(true);
    expect((seen!.reason as DOMException).name).toBe("TimeoutError");
  });
});

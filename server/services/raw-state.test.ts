import { describe, expect, it, vi } from "vitest";
import type { Collector } from "@/server/collectors/types";
import { runProbe } from "./raw-state";

describe("runProbe", () => {
  it("reports a collector that ignores its deadline", async () => {
    const stubborn: Collector<"stub", null, null> = { kind: "stub", probe: () => new Promise(() => {}) };
    const start = performance.now();
    const r = await runProbe(stubborn, null, 100);
    expect(r).toMatchObject({ ok: false, error: "probe did not stop at its deadline" });
    expect(performance.now() - start).toBeLessThan(1_000);
  });

  it("reports a collector that throws, without its message", async () => {
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    const broken: Collector<"stub", null, null> = {
      kind: "stub",
      probe: () => Promise.reject(new Error("redis://:pw@10.0.0.1 exploded")),
    };
    const r = await runProbe(broken, null, 100);
    expect(r).toMatchObject({ ok: false, error: "probe crashed (see the server log)" });
    expect(spy).toHaveBeenCalled();
    spy.mockRestore();
  });

  it("passes the deadline to the collector as an AbortSignal", async () => {
    const watcher: Collector<"stub", null, string> = {
      kind: "stub",
      probe: (_t, signal) =>
        new Promise((resolve) => signal.addEventListener("abort", () => resolve({ ok: false, latencyMs: 0, error: "aborted" }))),
    };
    expect(await runProbe(watcher, null, 50)).toMatchObject({ ok: false, error: "aborted" });
  });
});

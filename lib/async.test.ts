import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Waker, pause, raceAbort, whenAborted } from "./async";

describe("async waits", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("whenAborted resolves on abort, and at once for an aborted signal", async () => {
    const c = new AbortController();
    let done = false;
    void whenAborted(c.signal).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(10);
    expect(done).toBe(false);
    c.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toBe(true);
    await expect(whenAborted(c.signal)).resolves.toBeUndefined();
  });

  it("raceAbort rejects with the signal's reason when it aborts first", async () => {
    const c = new AbortController();
    const p = raceAbort(new Promise(() => {}), c.signal);
    c.abort(new Error("deadline"));
    await expect(p).rejects.toThrow("deadline");
    await expect(raceAbort(Promise.resolve(7), new AbortController().signal)).resolves.toBe(7);
  });

  it("pause ends on its timer or on an abort, leaving no timer behind", async () => {
    let done = false;
    void pause(1000).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toBe(true);
    const c = new AbortController();
    const p = pause(60_000, c.signal);
    c.abort();
    await p;
    expect(vi.getTimerCount()).toBe(0);
  });

  it("Waker ends a wait on wake, timeout or abort, and remembers a wake given between waits", async () => {
    const w = new Waker();
    const first = w.wait(1000);
    w.wake();
    await expect(first).resolves.toBe("wake");
    w.wake();
    await expect(w.wait(1000)).resolves.toBe("wake");
    const timed = w.wait(500);
    await vi.advanceTimersByTimeAsync(500);
    await expect(timed).resolves.toBe("timeout");
    const c = new AbortController();
    const aborted = w.wait(undefined, c.signal);
    c.abort();
    await expect(aborted).resolves.toBe("abort");
    expect(vi.getTimerCount()).toBe(0);
  });
});

import { describe, expect, it } from "vitest";
import type { SlaWall } from "./model";
import { slaWallFeed } from "./live";

const figures = (at: number) => ({ at, budgets: [], maintenance: [] }) as unknown as SlaWall;

describe("slaWallFeed", () => {
  it("pushes figures at once, then every interval, and ends when the subscriber leaves", async () => {
    const ac = new AbortController();
    let n = 0;
    const seen: number[] = [];
    const t0 = Date.now();
    for await (const f of slaWallFeed(async () => figures(++n), ac.signal, { everyMs: 50 })) {
      seen.push(f.at);
      if (seen.length === 3) ac.abort();
    }
    expect(seen).toEqual([1, 2, 3]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(90);
  });

  it("skips a failed turn and carries on", async () => {
    const ac = new AbortController();
    const errors: string[] = [];
    let n = 0;
    const seen: number[] = [];
    const compute = async () => {
      n += 1;
      if (n === 2) throw new Error("store down");
      return figures(n);
    };
    for await (const f of slaWallFeed(compute, ac.signal, { everyMs: 10, onError: (e) => errors.push((e as Error).message) })) {
      seen.push(f.at);
      if (seen.length === 2) ac.abort();
    }
    expect(seen).toEqual([1, 3]);
    expect(errors).toEqual(["store down"]);
  });

  it("an abort during the pause ends the feed without waiting out the interval", async () => {
    const ac = new AbortController();
    const t0 = Date.now();
    const seen: number[] = [];
    setTimeout(() => ac.abort(), 30);
    for await (const f of slaWallFeed(async () => figures(1), ac.signal, { everyMs: 60_000 })) seen.push(f.at);
    expect(seen).toEqual([1]);
    expect(Date.now() - t0).toBeLessThan(5_000);
  });
});

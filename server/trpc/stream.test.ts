import { describe, expect, it } from "vitest";
import { endWhenInvalid } from "./stream";

describe("endWhenInvalid", () => {
  it("passes values through and ends with UNAUTHORIZED once the session is no longer valid", async () => {
    let valid = true;
    async function* src() {
      for (let i = 0; ; i++) {
        yield i;
        await new Promise((r) => setTimeout(r, 5));
      }
    }
    const seen: number[] = [];
    const run = (async () => {
      for await (const v of endWhenInvalid(src(), async () => valid, 20)) {
        seen.push(v);
        if (v === 3) valid = false;
      }
    })();
    const err = await run.then(() => null, (e: unknown) => e);
    expect((err as Error).message).toBe("Your session has ended; sign in again");
    expect(seen.slice(0, 4)).toEqual([0, 1, 2, 3]);
  });

  it("checks even while the source is silent", async () => {
    const silent = { [Symbol.asyncIterator]: () => ({ next: () => new Promise<IteratorResult<number>>(() => {}), return: async () => ({ done: true as const, value: undefined }) }) };
    const err = await (async () => {
      for await (const _ of endWhenInvalid(silent, async () => false, 10)) void _;
    })().catch((e: unknown) => e);
    expect((err as Error).message).toBe("Your session has ended; sign in again");
  });
});

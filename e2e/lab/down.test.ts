import { describe, expect, it } from "vitest";
import { down, leftovers } from "./lab";

/** Runs last (its own vitest project): `down` must leave no process, namespace or port behind. */
describe("lab down", () => {
  it("leaves nothing running", async () => {
    await down();
    expect(await leftovers()).toEqual([]);
  }, 120_000);
});

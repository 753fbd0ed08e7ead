import { describe, expect, it } from "vitest";
import { DAEMON_NAMES, daemonPids, down, fault, leftovers, up } from "./lab";
import { ourNetns } from "./netns";
import { patroniLeader } from "./inspect";

/** Runs last (its own vitest project): recovery from a crashed run, idempotent `up`, and a clean `down`. */
describe("lab lifecycle", () => {
  it("up after every lab process was SIGKILLed (a crashed run) cleans up and comes back healthy", async () => {
    await up();
    for (const name of DAEMON_NAMES) await fault("kill", name).catch(() => undefined);
    // What a crash leaves: stale pid files, namespaces, configs that Sentinel rewrote.
    expect(ourNetns().length).toBeGreaterThan(0);
    expect(Object.values(daemonPids()).filter(Boolean)).toEqual([]);
    await up();
    expect((await patroniLeader())?.role).toBe("leader");
  }, 180_000);

  it("up twice is harmless: nothing is restarted", async () => {
    const before = daemonPids();
    await up();
    expect(daemonPids()).toEqual(before);
  }, 120_000);

  it("down leaves no process, namespace or port behind", async () => {
    await down();
    expect(await leftovers()).toEqual([]);
  }, 120_000);
});

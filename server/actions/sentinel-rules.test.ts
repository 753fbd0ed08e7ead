import { describe, expect, it } from "vitest";
import type { ActionTarget } from "@/lib/actions";
import { resolveTargetActions } from "@/server/config/actions";
import { judgeSentinel, type SentinelFacts } from "./sentinel-rules";

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
const settings = resolveTargetActions("sentinel", { cooldownSeconds: 60 });
const noStore = { holder: null, lastExecutedAt: null };
const target: ActionTarget = { kind: "sentinel_failover", targetId: "labredis", expectedLeader: "127.0.0.1:6391" };

function facts(over: Partial<SentinelFacts> = {}): SentinelFacts {
  const s = (port: number) => ({ address: `127.0.0.1:${port}`, ok: true, master: "127.0.0.1:6391", quorumOk: true, error: null });
  return {
    sentinels: [s(26391), s(26392), s(26393)],
    master: "127.0.0.1:6391",
    replicas: [{ address: "127.0.0.1:6392", flags: ["slave"], linkOk: true }],
    nodes: [
      { address: "127.0.0.1:6391", role: "master", error: null },
      { address: "127.0.0.1:6392", role: "slave", error: null },
    ],
    lastSwitchAt: null,
    ...over,
  };
}
const refused = (r: ReturnType<typeof judgeSentinel>) => r.checks.filter((c) => c.result === "refused").map((c) => c.id);

describe("Sentinel preflight", () => {
  it("passes a healthy group", () => {
    expect(refused(judgeSentinel(facts(), target, noStore, settings, NOW))).toEqual([]);
  });

  it("refuses while the old master of a previous failover still reports role master (the ~10 s window)", () => {
    const f = facts({
      master: "127.0.0.1:6392",
      sentinels: facts().sentinels.map((s) => ({ ...s, master: "127.0.0.1:6392" })),
      replicas: [{ address: "127.0.0.1:6391", flags: ["slave"], linkOk: true }],
      nodes: [
        { address: "127.0.0.1:6392", role: "master", error: null },
        { address: "127.0.0.1:6391", role: "master", error: null },
      ],
      lastSwitchAt: NOW - 4_000,
    });
    const r = judgeSentinel(f, { ...target, expectedLeader: "127.0.0.1:6392" }, noStore, settings, NOW);
    expect(refused(r)).toEqual(["single-master", "cooldown"]);
    expect(r.checks.find((c) => c.id === "single-master")?.detail).toMatch(/127.0.0.1:6391 still report role master/);
  });

  it("refuses without a linked replica, without a majority of sentinels, or when they disagree", () => {
    expect(refused(judgeSentinel(facts({ replicas: [{ address: "127.0.0.1:6392", flags: ["s_down", "slave"], linkOk: false }] }), target, noStore, settings, NOW))).toEqual(["replica-ready"]);
    const two = facts().sentinels.map((s, i) => (i > 0 ? { ...s, ok: false, master: null, quorumOk: null, error: "connection refused" } : s));
    expect(refused(judgeSentinel(facts({ sentinels: two }), target, noStore, settings, NOW))).toContain("sentinels");
    const split = facts().sentinels.map((s, i) => (i === 2 ? { ...s, master: "127.0.0.1:6392" } : s));
    expect(refused(judgeSentinel(facts({ sentinels: split, master: null }), target, noStore, settings, NOW))).toContain("sentinels");
  });

  it("refuses when the master changed since the request", () => {
    const r = judgeSentinel(facts(), { ...target, expectedLeader: "127.0.0.1:6392" }, noStore, settings, NOW);
    expect(r.checks.find((c) => c.id === "master")?.detail).toBe("the master changed since the request: it was 127.0.0.1:6392, it is now 127.0.0.1:6391");
  });
});

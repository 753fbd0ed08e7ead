import { describe, expect, it } from "vitest";
import type { ActionTarget } from "@/lib/actions";
import { resolveTargetActions } from "@/server/config/actions";
import { judgeVrrp, type VrrpFacts } from "./vrrp-rules";

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
const settings = resolveTargetActions("vrrp", { cooldownSeconds: 5 });
const noStore = { holder: null, lastExecutedAt: null };
const drain: ActionTarget = { kind: "vrrp_drain", targetId: "vi-trading", node: "ka1" };
const undrain: ActionTarget = { ...drain, kind: "vrrp_undrain" };

function facts(over: Partial<VrrpFacts> = {}): VrrpFacts {
  const nodes = [
    { name: "ka1", state: "MASTER", error: null },
    { name: "ka2", state: "BACKUP", error: null },
  ];
  return {
    node: "ka1",
    drain: { file: "/x/ka1/drain", value: 0 },
    peers: [{ name: "ka2", drain: { file: "/x/ka2/drain", value: 0 } }],
    instances: [
      { id: "vi-trading", instance: "VI_TRADING", nodes },
      { id: "vi-database", instance: "VI_DATABASE", nodes },
    ],
    lastSwitchAt: NOW - 60_000,
    ...over,
  };
}
const refused = (r: ReturnType<typeof judgeVrrp>) => r.checks.filter((c) => c.result === "refused").map((c) => c.id);

describe("VRRP drain preflight", () => {
  it("passes draining the MASTER of a healthy pair, and covers every instance the node is in", () => {
    const r = judgeVrrp(facts(), drain, noStore, settings, NOW);
    expect(refused(r)).toEqual([]);
    expect(r.facts.instances).toBe("VI_TRADING,VI_DATABASE");
  });

  it("refuses when the peer could not take over, is drained too, or keepalived is silent", () => {
    const down = facts().instances.map((i) => ({ ...i, nodes: [i.nodes[0]!, { name: "ka2", state: "UNKNOWN", error: "keepalived not reporting" }] }));
    expect(refused(judgeVrrp(facts({ instances: down }), drain, noStore, settings, NOW))).toEqual(["peer-vi-trading", "peer-vi-database"]);
    expect(refused(judgeVrrp(facts({ peers: [{ name: "ka2", drain: { file: "/x", value: 60 } }] }), drain, noStore, settings, NOW))).toEqual(["peers-not-drained"]);
    const silent = facts().instances.map((i) => ({ ...i, nodes: [{ name: "ka1", state: "UNKNOWN", error: "no heartbeat" }, i.nodes[1]!] }));
    expect(refused(judgeVrrp(facts({ instances: silent }), drain, noStore, settings, NOW))).toEqual(["reporting-vi-trading", "reporting-vi-database"]);
  });

  it("refuses a split brain, a missing drain file, and a second drain", () => {
    const split = facts().instances.map((i) => ({ ...i, nodes: i.nodes.map((n) => ({ ...n, state: "MASTER" })) }));
    expect(refused(judgeVrrp(facts({ instances: split }), drain, noStore, settings, NOW))).toEqual(["one-master-vi-trading", "one-master-vi-database"]);
    expect(refused(judgeVrrp(facts({ drain: { error: "no drainFile configured for ka1" } }), drain, noStore, settings, NOW))).toEqual(["drain-file"]);
    expect(refused(judgeVrrp(facts({ drain: { file: "/x", value: 60 } }), drain, noStore, settings, NOW))).toEqual(["drain-file"]);
  });

  it("undrain needs a drained node and a cooldown since the VIP last moved", () => {
    expect(refused(judgeVrrp(facts(), undrain, noStore, settings, NOW))).toEqual(["drain-file"]);
    const drained = facts({ drain: { file: "/x", value: 60 }, lastSwitchAt: NOW - 2_000 });
    expect(refused(judgeVrrp(drained, undrain, noStore, settings, NOW))).toEqual(["cooldown"]);
  });
});

/**
 * VRRP drain/undrain preflight (pure). A drain lowers a node's keepalived priority through its
 * track_file, which moves every VIP the node holds (all its instances) to the peer; it needs a
 * peer that is alive, not drained itself, and one MASTER per instance to start from.
 */
import type { ActionTarget, PreflightResult } from "@/lib/actions";
import type { ResolvedTargetActions } from "@/server/config/actions";
import { Checks, checkCooldown, checkInFlight } from "./checks";
import type { StoreFacts } from "./types";

export interface VrrpNodeState {
  name: string;
  /** MASTER, BACKUP, FAULT, STOP or UNKNOWN (keepalived not reporting). */
  state: string;
  error: string | null;
}

export interface VrrpFacts {
  node: string;
  /** The node's drain file and what it holds now (0: not drained); error when unreadable or not configured. */
  drain: { file: string; value: number } | { error: string };
  /** The peers' drain state, by node name. */
  peers: { name: string; drain: { file: string; value: number } | { error: string } }[];
  /** Every instance the node is part of (a drain moves them all). */
  instances: { id: string; instance: string; nodes: VrrpNodeState[] }[];
  /** The newest MASTER transition among the affected instances (the notify scripts' time). */
  lastSwitchAt: number | null;
}

export function judgeVrrp(f: VrrpFacts, target: ActionTarget, store: StoreFacts, settings: ResolvedTargetActions, now: number): PreflightResult {
  const c = new Checks();
  const drain = target.kind === "vrrp_drain";
  const facts: PreflightResult["facts"] = {
    node: f.node,
    drainValue: "value" in f.drain ? f.drain.value : null,
    instances: f.instances.map((i) => i.instance).join(",") || null,
    masters: f.instances.map((i) => `${i.instance}=${i.nodes.filter((n) => n.state === "MASTER").map((n) => n.name).join("+") || "none"}`).join(",") || null,
  };

  if ("error" in f.drain) c.refuse("drain-file", "Drain file usable", f.drain.error);
  else if (drain) c.expect(f.drain.value === 0, "drain-file", "Node not drained already", `${f.node} is not drained`, `${f.node} is drained already (its drain file holds ${f.drain.value})`);
  else c.expect(f.drain.value !== 0, "drain-file", "Node drained now", `${f.node} is drained (${f.drain.value})`, `${f.node} is not drained: nothing to undo`);

  for (const i of f.instances) {
    const self = i.nodes.find((n) => n.name === f.node);
    const masters = i.nodes.filter((n) => n.state === "MASTER");
    if (!self || self.state === "UNKNOWN") {
      c.refuse(`reporting-${i.id}`, `${i.instance}: node reporting`, `${f.node}'s keepalived is not reporting for ${i.instance}: ${self?.error ?? "no state"}`);
      continue;
    }
    if (masters.length > 1) {
      c.refuse(`one-master-${i.id}`, `${i.instance}: one MASTER`, `split brain: ${masters.map((m) => m.name).join(" and ")} are all MASTER`);
      continue;
    }
    if (masters.length === 0) {
      c.refuse(`one-master-${i.id}`, `${i.instance}: one MASTER`, `no node is MASTER for ${i.instance}: fix that before moving anything`);
      continue;
    }
    if (drain) {
      const ready = i.nodes.filter((n) => n.name !== f.node && n.state === "BACKUP");
      c.expect(
        ready.length > 0,
        `peer-${i.id}`,
        `${i.instance}: a peer ready to take over`,
        `${ready.map((n) => n.name).join(", ")} BACKUP`,
        `no peer of ${f.node} is BACKUP for ${i.instance} (${i.nodes.filter((n) => n.name !== f.node).map((n) => `${n.name} ${n.state}`).join(", ")})`,
      );
    } else c.ok(`one-master-${i.id}`, `${i.instance}: one MASTER`, `${masters[0]!.name} is MASTER`);
  }
  if (f.instances.length === 0) c.refuse("instances", "Node is in a VRRP instance", `${f.node} is in no configured VRRP instance`);

  if (drain) {
    const drainedPeers = f.peers.filter((p) => "value" in p.drain && p.drain.value !== 0).map((p) => p.name);
    c.expect(drainedPeers.length === 0, "peers-not-drained", "Peers not drained", "no peer is drained", `${drainedPeers.join(", ")} ${drainedPeers.length === 1 ? "is" : "are"} drained too: the VIPs would have nowhere good to go`);
  }

  checkInFlight(c, store);
  checkCooldown(c, settings.cooldownMs, f.lastSwitchAt, store, now);
  return c.result(now, facts);
}

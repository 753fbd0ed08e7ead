/** The VRRP panel: each instance's VIPs, nodes with state and priority, and who holds it. */
import type { Snapshot } from "@/lib/snapshot";
import type { Status } from "@/lib/status";
import type { VrrpState } from "@/server/collectors/vrrp";
import { SEP, suspectOf, suspectSig, type SuspectView } from "./model-common";
import { unitsOfKind } from "@/lib/unit-data";

export interface VrrpNodeModel {
  name: string;
  state: VrrpState;
  priority: number | null;
}

export interface VrrpModel {
  id: string;
  instance: string;
  vips: string[];
  status: Status;
  suspect: SuspectView | null;
  nodes: VrrpNodeModel[];
  /** The one node that says MASTER; null for none or several. */
  holder: string | null;
  masters: string[];
  sig: string;
}

export function vrrpModels(s: Snapshot): VrrpModel[] {
  return unitsOfKind(s, "vrrp")
    .map<VrrpModel>((u) => {
      const d = u.data;
      const nodes = (d?.nodes ?? []).map<VrrpNodeModel>((n) => ({ name: n.name, state: n.state, priority: n.priority }));
      const masters = d?.masters ?? [];
      const suspect = suspectOf(u.suspect);
      return {
        id: u.targetId,
        instance: d?.instance ?? u.label,
        vips: d?.vips ?? [],
        status: u.status,
        suspect,
        nodes,
        holder: masters.length === 1 ? (masters[0] ?? null) : null,
        masters,
        sig: [u.label, u.status, suspectSig(suspect), d?.instance, ...(d?.vips ?? []), masters.join("+"), ...nodes.map((n) => `${n.name}${n.state}${n.priority}`)].join(SEP),
      };
    });
}

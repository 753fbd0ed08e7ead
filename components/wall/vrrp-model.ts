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
  /**
   * Who answered on the VIP (the identity probe): a node name, or what a stranger answered; null when
   * nothing answered or no probe is configured (`probed` tells which).
   */
  answeredBy: string | null;
  probed: boolean;
  /** The answer names another node than the single MASTER, or no node of the instance. */
  answerDisagrees: boolean;
  sig: string;
}

export function vrrpModels(s: Snapshot): VrrpModel[] {
  return unitsOfKind(s, "vrrp")
    .map<VrrpModel>((u) => {
      const d = u.data;
      const nodes = (d?.nodes ?? []).map<VrrpNodeModel>((n) => ({ name: n.name, state: n.state, priority: n.priority }));
      const masters = d?.masters ?? [];
      const suspect = suspectOf(u.suspect);
      const v = d?.vipAnswer ?? null;
      const answeredBy = v ? (v.node ?? v.answer) : null;
      const answerDisagrees = !!v && v.answer !== null && (v.node === null || (masters.length === 1 && v.node !== masters[0]));
      return {
        id: u.targetId,
        instance: d?.instance ?? u.label,
        vips: d?.vips ?? [],
        status: u.status,
        suspect,
        nodes,
        holder: masters.length === 1 ? (masters[0] ?? null) : null,
        masters,
        answeredBy,
        probed: v !== null,
        answerDisagrees,
        sig: [u.label, u.status, suspectSig(suspect), d?.instance, ...(d?.vips ?? []), masters.join("+"), `${answeredBy}${answerDisagrees}`, ...nodes.map((n) => `${n.name}${n.state}${n.priority}`)].join(SEP),
      };
    });
}

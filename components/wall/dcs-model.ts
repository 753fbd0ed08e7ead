/** The DCS line under each Patroni cluster: etcd's members, leader, raft term and quorum. */
import type { Snapshot } from "@/lib/snapshot";
import type { Status } from "@/lib/status";
import { unitsOfKind } from "@/lib/unit-data";
import { SEP, suspectOf, suspectSig, type SuspectView } from "./model-common";

export interface DcsMemberModel {
  name: string;
  /** healthy; unhealthy (answers, no leader or failing its checks); down (no answer); unknown (no data). */
  state: "healthy" | "unhealthy" | "down" | "unknown";
  leader: boolean;
}

export interface DcsModel {
  /** The Patroni cluster whose leader key it holds. */
  clusterId: string;
  status: Status;
  suspect: SuspectView | null;
  leader: string | null;
  raftTerm: number | null;
  healthy: number;
  voters: number;
  quorum: number;
  members: DcsMemberModel[];
  /** The unit's verdict in words (the member down, "no quorum", ...). */
  reason: string | null;
  sig: string;
}

export function dcsModels(s: Snapshot): DcsModel[] {
  return unitsOfKind(s, "etcd").map<DcsModel>((u) => {
    const d = u.data;
    const members = (d?.endpoints ?? []).map<DcsMemberModel>((e) => ({
      name: e.member ?? e.endpoint,
      state: e.error !== null ? "down" : e.healthy ? "healthy" : e.healthy === false ? "unhealthy" : "unknown",
      leader: e.member !== null && e.member === d?.leader,
    }));
    const suspect = suspectOf(u.suspect);
    const m = {
      clusterId: u.targetId,
      status: u.status,
      suspect,
      leader: d?.leader ?? null,
      raftTerm: d?.raftTerm ?? null,
      healthy: d?.healthy ?? 0,
      voters: d?.voters ?? 0,
      quorum: d?.quorum ?? 0,
      members,
      reason: u.reason ?? null,
    };
    return { ...m, sig: [m.clusterId, m.status, suspectSig(suspect), m.leader, m.raftTerm, m.healthy, m.voters, m.reason, ...members.map((x) => `${x.name},${x.state},${x.leader}`)].join(SEP) };
  });
}

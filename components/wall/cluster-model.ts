/** The Patroni panel: leader, synchronous standby and replicas of each cluster, with lag against its limit. */
import type { ClusterMemberView, Snapshot, UnitSnapshot } from "@/lib/snapshot";
import type { Status } from "@/lib/status";
import { SEP, suspectOf, suspectSig, type SuspectView } from "./model-common";
import { unitKey } from "@/lib/keys";

export interface MemberRowModel {
  name: string;
  role: string;
  state: string;
  status: Status;
  suspect: SuspectView | null;
  lagBytes: number | null;
  lagSeconds: number | null;
  /** Lag above the cluster's limit. */
  lagging: boolean;
  replicationState: string | null;
}

export interface ClusterModel {
  id: string;
  name: string;
  status: Status;
  suspect: SuspectView | null;
  timeline: number | null;
  paused: boolean;
  maxLagSeconds: number;
  leader: MemberRowModel | null;
  /** Named by Patroni but not among the members (should not happen; shown rather than hidden). */
  leaderName: string | null;
  sync: MemberRowModel | null;
  replicas: MemberRowModel[];
  /** Patroni's latest timeline switch (failover or switchover): when, and to which timeline. */
  lastSwitch: { at: number; timeline: number } | null;
  sig: string;
}

function memberRow(m: ClusterMemberView, unit: UnitSnapshot | undefined, maxLagSeconds: number): MemberRowModel {
  return {
    name: m.name,
    role: m.role,
    state: m.state,
    status: m.status,
    suspect: suspectOf(unit?.suspect),
    lagBytes: m.lagBytes,
    lagSeconds: m.lagSeconds,
    lagging: m.lagSeconds !== null && m.lagSeconds > maxLagSeconds,
    replicationState: m.replicationState,
  };
}

const memberSig = (m: MemberRowModel | null) =>
  m ? [m.name, m.role, m.state, m.status, suspectSig(m.suspect), m.lagBytes, m.lagSeconds, m.replicationState].join(",") : "-";

export function clusterModels(s: Snapshot, units: ReadonlyMap<string, UnitSnapshot>): ClusterModel[] {
  return s.clusters.map<ClusterModel>((c) => {
    const row = (m: ClusterMemberView) => memberRow(m, units.get(unitKey("postgres", c.id, m.name)), c.maxLagSeconds);
    const leaderMember = c.members.find((m) => m.name === c.leader);
    const syncMember = c.members.find((m) => m.name === c.syncStandby && m.name !== c.leader);
    const leader = leaderMember ? row(leaderMember) : null;
    const sync = syncMember ? row(syncMember) : null;
    const replicas = c.members.filter((m) => m !== leaderMember && m !== syncMember).map(row);
    const suspect = suspectOf(units.get(unitKey("patroni", c.id))?.suspect);
    const last = c.history[c.history.length - 1];
    const lastAt = last?.at ? Date.parse(last.at) : NaN;
    const lastSwitch = last && Number.isFinite(lastAt) ? { at: lastAt, timeline: last.timeline + 1 } : null;
    return {
      id: c.id,
      name: c.name,
      status: c.status,
      suspect,
      timeline: c.timeline,
      paused: c.paused,
      maxLagSeconds: c.maxLagSeconds,
      leader,
      leaderName: c.leader,
      sync,
      replicas,
      lastSwitch,
      sig: [c.name, c.status, lastSwitch?.at, lastSwitch?.timeline, suspectSig(suspect), c.timeline, c.paused, c.maxLagSeconds, c.leader, memberSig(leader), memberSig(sync), ...replicas.map(memberSig)].join(SEP),
    };
  });
}

import type { Reading } from "@/server/collectors";
import type { Config } from "@/server/config/load";
import type { ProbeFailure } from "@/server/scheduler/scheduler";
import { unitKey } from "@/lib/keys";
import { replicationLagBytes } from "@/lib/lag-series";
import type { ClusterMemberView, ClusterView } from "@/lib/snapshot";
import type { Status } from "@/lib/status";

/** Pure: the page-facing view of each Patroni cluster, merging Patroni's REST view with each node's own PostgreSQL. */

type Latest = (key: string) => Reading | ProbeFailure | undefined;
type StatusOf = (key: string) => Status;

/** Patroni's view, also from a failed probe that still got one (e.g. a cluster without a leader). */
const patroniOf = (r: Reading | ProbeFailure | undefined) => (r && "kind" in r && r.kind === "patroni" ? r.data : undefined);
/** A node's own view, from a successful probe only. */
const postgresOf = (r: Reading | ProbeFailure | undefined) => (r?.ok && r.kind === "postgres" ? r.data : undefined);

export function buildClusterViews(config: Config, latest: Latest, statusOf: StatusOf): ClusterView[] {
  return config.clusters.map((c) => {
    const patroni = patroniOf(latest(unitKey("patroni", c.id)));
    const pgData = (name: string) => postgresOf(latest(unitKey("postgres", c.id, name)));
    const leader = patroni?.leader ?? null;
    const leaderPg = leader ? pgData(leader) : undefined;
    const replicationOf = (name: string) => leaderPg?.replication.find((r) => r.applicationName === name);

    const names = [...new Set([...c.nodes.map((n) => n.name), ...(patroni?.members.map((m) => m.name) ?? [])])];
    const members = names.map<ClusterMemberView>((name) => {
      const m = patroni?.members.find((x) => x.name === name);
      const own = pgData(name);
      const repl = replicationOf(name);
      const isLeader = name === leader;
      return {
        name,
        role: m?.role ?? "absent",
        state: m?.state ?? "",
        timeline: own?.timeline ?? m?.timeline ?? null,
        host: m?.host ?? null,
        port: m?.port ?? null,
        inRecovery: own ? own.inRecovery : null,
        lagBytes: isLeader ? null : (replicationLagBytes(repl) ?? own?.standby?.replayGapBytes ?? null),
        lagSeconds: isLeader ? null : (own?.standby?.replayLagSeconds ?? repl?.replayLagSeconds ?? null),
        patroniLagBytes: m?.lag ?? null,
        syncState: repl?.syncState ?? null,
        replicationState: repl?.state ?? own?.standby?.walReceiver?.status ?? null,
        status: statusOf(unitKey("postgres", c.id, name)),
      };
    });
    const history = patroni?.history;
    return {
      id: c.id,
      name: c.name ?? c.id,
      component: c.component,
      status: statusOf(unitKey("patroni", c.id)),
      leader,
      syncStandby: patroni?.members.find((m) => m.role === "sync_standby")?.name ?? null,
      paused: patroni?.paused ?? false,
      timeline: (leader ? patroni?.members.find((m) => m.name === leader)?.timeline : null) ?? null,
      maxLagSeconds: c.maxLagSeconds ?? 5,
      members,
      history: history ?? [],
    };
  });
}

import { MemberTable } from "@/components/cluster/member-table";
import { Facts } from "@/components/ui/facts";
import { FindingsList } from "@/components/ui/findings-list";
import { StatusBadge } from "@/components/ui/status-badge";
import { TonePill } from "@/components/ui/tone-pill";
import { formatDuration } from "@/lib/format";
import type { ClusterView, Snapshot } from "@/lib/snapshot";

type Component = Snapshot["components"][number];
type Finding = Snapshot["findings"][number];

/** Who leads, the sync standby, the timeline and the members, with what the evaluator found. */
export function ClusterTopology({
  cluster,
  component,
  findings,
  now,
}: {
  cluster: ClusterView;
  component: Component | undefined;
  findings: Finding[];
  now: number;
}) {
  const standbys = cluster.members.filter((m) => m.name !== cluster.leader).length;
  return (
    <section aria-labelledby="topology" className="space-y-3">
      <h2 id="topology" className="text-sm font-semibold tracking-wider text-slate-400 uppercase">
        Topology
      </h2>
      <Facts
        items={[
          {
            label: "Leader",
            value: cluster.leader ? (
              <span className="font-mono">{cluster.leader}</span>
            ) : (
              <TonePill tone="bad">NO LEADER</TonePill>
            ),
            testId: "cluster-leader",
          },
          { label: "Sync standby", value: <span className="font-mono">{cluster.syncStandby ?? "none"}</span>, testId: "cluster-sync-standby" },
          { label: "Timeline", value: cluster.timeline ?? "—", testId: "cluster-timeline" },
          { label: "Members", value: `${cluster.members.length} (${standbys} standby${standbys === 1 ? "" : "s"})` },
          { label: "Lag limit", value: `${cluster.maxLagSeconds} s` },
          ...(component
            ? [
                {
                  label: `${component.name} (SLA component)`,
                  value: (
                    <span className="flex items-center gap-2">
                      <StatusBadge status={component.status} /> for {formatDuration(Math.max(0, now - component.since) / 1000)}
                    </span>
                  ),
                  testId: "cluster-component-since",
                },
              ]
            : []),
        ]}
      />
      <FindingsList findings={findings} testId="cluster-findings" />
      <MemberTable cluster={cluster} />
    </section>
  );
}

"use client";

import { ClusterActions } from "@/components/actions/cluster-actions";
import { ClusterTopology } from "@/components/cluster/cluster-topology";
import { DcsSection } from "@/components/cluster/dcs-section";
import { LagSection } from "@/components/cluster/lag-section";
import { NodeProbes } from "@/components/cluster/node-probes";
import { TimelineHistory } from "@/components/cluster/timeline-history";
import { useLagSamples } from "@/components/cluster/use-lag-samples";
import { FeedStatus } from "@/components/ui/feed-status";
import { LoadProblem } from "@/components/ui/load-problem";
import { PageHeader } from "@/components/ui/page-header";
import { StatusBadge } from "@/components/ui/status-badge";
import { TonePill } from "@/components/ui/tone-pill";
import { useLiveSnapshot } from "@/lib/use-live-snapshot";
import { unitByKey } from "@/lib/unit-data";
import { unitKey } from "@/lib/keys";

export function ClusterView({ id }: { id: string }) {
  const { samples, onSnapshot } = useLagSamples(id);
  const { snapshot, error, feed } = useLiveSnapshot({ onSnapshot });

  if (!snapshot) return <LoadProblem error={error} what="the cluster" />;
  const cluster = snapshot.clusters.find((c) => c.id === id);
  if (!cluster) return <LoadProblem error={{ message: `the server has no cluster "${id}"` }} what="the cluster" />;

  const standbys = cluster.members.filter((m) => m.name !== cluster.leader);
  const units = snapshot.units.filter((u) => u.targetId === id && (u.kind === "patroni" || u.kind === "postgres"));
  const findings = snapshot.findings.filter((f) => f.subjects.some((s) => s.includes(id)));
  const component = snapshot.components.find((c) => c.id === cluster.component);
  const dcs = unitByKey(snapshot, "etcd", unitKey("etcd", id));

  return (
    <div className="space-y-8">
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-3">
            {cluster.name} <StatusBadge status={cluster.status} testId="cluster-status" />
            {cluster.paused && <TonePill tone="warn">PAUSED (maintenance mode)</TonePill>}
          </span>
        }
        description={`Patroni cluster "${cluster.id}": members as Patroni (DCS) and each node's PostgreSQL see them, replication lag, and the timeline switches.`}
        aside={<FeedStatus feed={feed} at={snapshot.at} />}
      />
      <ClusterTopology cluster={cluster} component={component} findings={findings} now={snapshot.at} />
      <ClusterActions clusterId={cluster.id} leader={cluster.leader} members={cluster.members} />
      {dcs && <DcsSection unit={dcs} />}
      <LagSection clusterId={id} standbys={standbys} maxLagSeconds={cluster.maxLagSeconds} samples={samples} now={snapshot.at} />

      <section aria-labelledby="history" className="space-y-3">
        <h2 id="history" className="text-sm font-semibold tracking-wider text-slate-400 uppercase">
          Timeline history (Patroni)
        </h2>
        <TimelineHistory history={cluster.history} current={cluster.timeline} />
      </section>

      <section aria-labelledby="probes" className="space-y-3">
        <h2 id="probes" className="text-sm font-semibold tracking-wider text-slate-400 uppercase">
          Node details: probes
        </h2>
        <NodeProbes units={units} />
      </section>
    </div>
  );
}

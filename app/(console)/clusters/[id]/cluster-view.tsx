"use client";

import { useQueries } from "@tanstack/react-query";
import { useReducer, useState } from "react";
import { ClusterActions } from "@/components/actions/cluster-actions";
import { LagChart } from "@/components/charts/lag-chart";
import { RangePicker } from "@/components/charts/range-picker";
import { MemberTable } from "@/components/cluster/member-table";
import { NodeProbes } from "@/components/cluster/node-probes";
import { RoleLabel } from "@/components/cluster/role-label";
import { TimelineHistory } from "@/components/cluster/timeline-history";
import { Facts } from "@/components/ui/facts";
import { FeedStatus } from "@/components/ui/feed-status";
import { FindingsList } from "@/components/ui/findings-list";
import { LoadProblem } from "@/components/ui/load-problem";
import { PageHeader } from "@/components/ui/page-header";
import { StatusBadge } from "@/components/ui/status-badge";
import { TonePill } from "@/components/ui/tone-pill";
import { useElementWidth } from "@/components/ui/use-element-width";
import {
  LAG_RANGES, addSamples, extendSeries, lagSamplesOf, lagSubject, stepOf,
  type LagMetric, type LagRange, type LiveSample, type SeriesPoint,
} from "@/lib/lag-series";
import { formatDuration } from "@/lib/format";
import type { Snapshot } from "@/lib/snapshot";
import { useTRPC } from "@/lib/trpc/client";
import { useLiveSnapshot } from "@/lib/use-live-snapshot";

/** Live samples are kept as long as the longest live range (1 h), plus a margin. */
const KEEP_MS = 65 * 60_000;
/** Charts sit in a grid of columns at least this wide (px), as the CSS below says. */
const MIN_CHART_PX = 420;
const GAP_PX = 16;

type Samples = Record<string, LiveSample[]>;

function samplesReducer(state: Samples, action: { snapshot: Snapshot; clusterId: string }): Samples {
  let next: Samples | undefined;
  for (const [key, s] of lagSamplesOf(action.snapshot, action.clusterId)) {
    const before = state[key] ?? [];
    const after = addSamples(before, [s], action.snapshot.at, KEEP_MS);
    if (after !== before) (next ??= { ...state })[key] = after;
  }
  return next ?? state;
}

/** Points per chart: about one per pixel of its width, within what the server allows. */
function pointsFor(sectionWidth: number): number {
  if (sectionWidth <= 0) return 0;
  const cols = Math.max(1, Math.floor((sectionWidth + GAP_PX) / (MIN_CHART_PX + GAP_PX)));
  const chart = (sectionWidth - GAP_PX * (cols - 1)) / cols - 80; // minus the y axis
  return Math.min(2000, Math.max(60, Math.round(chart)));
}

export function ClusterView({ id }: { id: string }) {
  const trpc = useTRPC();
  const [range, setRange] = useState<LagRange>("5m");
  const [samples, addSnapshot] = useReducer(samplesReducer, {});
  const { snapshot, error, feed } = useLiveSnapshot({ onSnapshot: (s) => addSnapshot({ snapshot: s, clusterId: id }) });
  const [chartsRef, chartsWidth] = useElementWidth<HTMLDivElement>(100);
  const maxPoints = pointsFor(chartsWidth);

  const cluster = snapshot?.clusters.find((c) => c.id === id);
  const standbys = cluster ? cluster.members.filter((m) => m.name !== cluster.leader) : [];
  const rangeDef = LAG_RANGES.find((r) => r.id === range)!;
  const charts = standbys.flatMap((m) =>
    (["lag_bytes", "lag_seconds"] as const).map((metric: LagMetric) => ({ member: m.name, metric, subject: lagSubject(id, m.name) })),
  );
  const series = useQueries({
    queries: charts.map((c) =>
      trpc.series.get.queryOptions(
        { subject: c.subject, metric: c.metric, range, maxPoints },
        // Re-read when a range is chosen again; between times the live feed extends the short ranges.
        { enabled: maxPoints > 0, staleTime: 0, refetchOnWindowFocus: false },
      ),
    ),
  });

  if (!snapshot) return <LoadProblem error={error} what="the cluster" />;
  if (!cluster) return <LoadProblem error={{ message: `the server has no cluster "${id}"` }} what="the cluster" />;

  const units = snapshot.units.filter((u) => u.targetId === id && (u.kind === "patroni" || u.kind === "postgres"));
  const findings = snapshot.findings.filter((f) => f.subjects.some((s) => s.includes(id)));
  const now = snapshot.at;
  const component = snapshot.components.find((c) => c.id === cluster.component);

  const chartProps = (i: number) => {
    const c = charts[i]!;
    const q = series[i]!;
    const data = q.data;
    const stored: SeriesPoint[] = data?.points ?? [];
    let points = stored;
    let from = data?.from ?? now - rangeDef.ms;
    let to = data?.to ?? now;
    if (rangeDef.live && data) {
      const stepMs = stepOf(stored, Math.max(1000, Math.ceil(rangeDef.ms / Math.max(maxPoints, 1) / 1000) * 1000));
      points = extendSeries(stored, data.to, samples[`${c.subject}|${c.metric}`] ?? [], { stepMs, windowMs: rangeDef.ms, now: Math.max(now, data.to) });
      to = Math.max(now, data.to);
      from = to - rangeDef.ms;
    }
    return { points, from, to, loading: q.isPending, error: q.error?.message ?? null };
  };

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
            { label: "Members", value: `${cluster.members.length} (${standbys.length} standby${standbys.length === 1 ? "" : "s"})` },
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

      <ClusterActions clusterId={cluster.id} leader={cluster.leader} members={cluster.members} />

      <section aria-labelledby="lag" className="space-y-3">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="lag" className="text-sm font-semibold tracking-wider text-slate-400 uppercase">
            Replication lag per standby
          </h2>
          <div className="flex items-center gap-3">
            <span className="text-xs text-slate-400">{rangeDef.live ? "live: extended from every snapshot" : "stored history (not live)"}</span>
            <RangePicker value={range} onChange={setRange} />
          </div>
        </div>
        <div ref={chartsRef} className="space-y-6">
          {standbys.length === 0 && <p className="text-sm text-slate-400">No standby to chart.</p>}
          {standbys.map((m) => {
            const iBytes = charts.findIndex((c) => c.member === m.name && c.metric === "lag_bytes");
            return (
              <div key={m.name} className="space-y-2" data-testid={`lag-${m.name}`}>
                <h3 className="flex items-center gap-2 text-sm font-medium text-slate-200">
                  <span className="font-mono">{m.name}</span>
                  <span className="text-slate-400">·</span>
                  <RoleLabel role={m.role} />
                  {m.syncState && <span className="text-xs text-slate-400">({m.syncState})</span>}
                </h3>
                <div className="grid gap-4" style={{ gridTemplateColumns: `repeat(auto-fit, minmax(${MIN_CHART_PX}px, 1fr))` }}>
                  <LagChart
                    title="Lag, bytes (primary WAL − standby replay)"
                    unit="bytes"
                    testId={`lag-chart-${m.name}-bytes`}
                    {...chartProps(iBytes)}
                  />
                  <LagChart
                    title="Replay lag, seconds (on the standby)"
                    unit="seconds"
                    threshold={cluster.maxLagSeconds}
                    testId={`lag-chart-${m.name}-seconds`}
                    {...chartProps(iBytes + 1)}
                  />
                </div>
              </div>
            );
          })}
        </div>
      </section>

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

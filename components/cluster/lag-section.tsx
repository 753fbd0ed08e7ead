"use client";

import { useQueries } from "@tanstack/react-query";
import { useState } from "react";
import { RangePicker } from "@/components/charts/range-picker";
import { MIN_CHART_PX, StandbyLag, type LagChartSeries } from "@/components/cluster/standby-lag";
import type { LagSamples } from "@/components/cluster/use-lag-samples";
import { useElementWidth } from "@/components/ui/use-element-width";
import { LAG_RANGES, extendSeries, lagSubject, stepOf, type LagMetric, type LagRange, type SeriesPoint } from "@/lib/lag-series";
import type { ClusterMemberView } from "@/lib/snapshot";
import { useTRPC } from "@/lib/trpc/client";

const GAP_PX = 16;
const METRICS = ["lag_bytes", "lag_seconds"] as const satisfies readonly LagMetric[];

/** Points per chart: about one per pixel of its width, within what the server allows. */
function pointsFor(sectionWidth: number): number {
  if (sectionWidth <= 0) return 0;
  const cols = Math.max(1, Math.floor((sectionWidth + GAP_PX) / (MIN_CHART_PX + GAP_PX)));
  const chart = (sectionWidth - GAP_PX * (cols - 1)) / cols - 80; // minus the y axis
  return Math.min(2000, Math.max(60, Math.round(chart)));
}

/** The stored series of every standby and metric for a range, extended by the live samples on short ranges. */
function useLagSeries(clusterId: string, standbys: ClusterMemberView[], range: LagRange, maxPoints: number, samples: LagSamples, now: number) {
  const trpc = useTRPC();
  const rangeDef = LAG_RANGES.find((r) => r.id === range)!;
  const charts = standbys.flatMap((m) => METRICS.map((metric) => ({ member: m.name, metric, subject: lagSubject(clusterId, m.name) })));
  const series = useQueries({
    queries: charts.map((c) =>
      trpc.series.get.queryOptions(
        { subject: c.subject, metric: c.metric, range, maxPoints },
        // Re-read when a range is chosen again; between times the live feed extends the short ranges.
        { enabled: maxPoints > 0, staleTime: 0, refetchOnWindowFocus: false },
      ),
    ),
  });

  return (member: string, metric: LagMetric): LagChartSeries => {
    const i = charts.findIndex((c) => c.member === member && c.metric === metric);
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
}

/** Replication lag per standby over a chosen range; owns the range and the series it reads. */
export function LagSection({
  clusterId,
  standbys,
  maxLagSeconds,
  samples,
  now,
}: {
  clusterId: string;
  standbys: ClusterMemberView[];
  maxLagSeconds: number;
  samples: LagSamples;
  now: number;
}) {
  const [range, setRange] = useState<LagRange>("5m");
  const [chartsRef, chartsWidth] = useElementWidth<HTMLDivElement>(100);
  const seriesOf = useLagSeries(clusterId, standbys, range, pointsFor(chartsWidth), samples, now);
  const live = LAG_RANGES.find((r) => r.id === range)!.live;

  return (
    <section aria-labelledby="lag" className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="lag" className="text-sm font-semibold tracking-wider text-slate-400 uppercase">
          Replication lag per standby
        </h2>
        <div className="flex items-center gap-3">
          <span className="text-xs text-slate-400">{live ? "live: extended from every snapshot" : "stored history (not live)"}</span>
          <RangePicker value={range} onChange={setRange} />
        </div>
      </div>
      <div ref={chartsRef} className="space-y-6">
        {standbys.length === 0 && <p className="text-sm text-slate-400">No standby to chart.</p>}
        {standbys.map((m) => (
          <StandbyLag key={m.name} member={m} maxLagSeconds={maxLagSeconds} bytes={seriesOf(m.name, "lag_bytes")} seconds={seriesOf(m.name, "lag_seconds")} />
        ))}
      </div>
    </section>
  );
}

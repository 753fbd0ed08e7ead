"use client";

import { formatLag, type LagUnit } from "@/components/charts/lag-format";
import { LagLegend } from "@/components/charts/lag-legend";
import { LagPlot } from "@/components/charts/lag-plot";
import type { SeriesPoint } from "@/lib/lag-series";
import { TonePill } from "@/components/ui/tone-pill";

/** Latest and peak value, and the share of buckets that hold data. */
function lagStats(points: SeriesPoint[]) {
  const withData = points.filter((p) => p.avg !== null);
  const latest = withData.at(-1)?.avg ?? null;
  const peak = withData.reduce<number | null>((m, p) => (p.max === null ? m : m === null ? p.max : Math.max(m, p.max)), null);
  const coverage = points.length ? Math.round((withData.length / points.length) * 100) : 0;
  return { withData: withData.length, latest, peak, coverage };
}

/**
 * One replication lag series over a fixed time window. Buckets without data are drawn as gaps
 * (`connectNulls={false}`), never interpolated; the optional limit is a dashed, labelled line.
 */
export function LagChart(props: {
  title: string;
  unit: LagUnit;
  points: SeriesPoint[];
  from: number;
  to: number;
  threshold?: number | null;
  loading?: boolean;
  error?: string | null;
  height?: number;
  testId?: string;
}) {
  const { title, unit, points, from, to, loading, error, testId } = props;
  const threshold = props.threshold ?? null;
  const height = props.height ?? 180;
  const { withData, latest, peak, coverage } = lagStats(points);
  const over = threshold !== null && latest !== null && latest > threshold;
  const fmt = (v: number | null | undefined) => formatLag(unit, v);
  const summary = `${title}: latest ${fmt(latest)}, peak ${fmt(peak)}${threshold !== null ? `, limit ${fmt(threshold)}` : ""}, data in ${coverage}% of the window`;

  return (
    <figure className="rounded-lg border border-slate-800 bg-slate-900/60 p-3" data-testid={testId} data-points={withData}>
      <figcaption className="mb-2 flex flex-wrap items-baseline gap-x-3 gap-y-1 text-sm">
        <span className="font-medium text-slate-200">{title}</span>
        <span className="text-xs text-slate-400 tabular-nums">
          latest <strong className="font-semibold text-slate-100">{fmt(latest)}</strong> · peak {fmt(peak)} · data in {coverage}% of window
        </span>
        {over && <TonePill tone="bad">OVER LIMIT</TonePill>}
      </figcaption>
      <div style={{ height }} className="relative">
        {error ? (
          <p role="alert" className="absolute inset-0 flex items-center justify-center text-sm text-red-300">
            <span aria-hidden="true">✖&nbsp;</span>Cannot load the series: {error}
          </p>
        ) : loading && points.length === 0 ? (
          <p className="absolute inset-0 flex items-center justify-center text-sm text-slate-500">Loading…</p>
        ) : (
          <LagPlot points={points} from={from} to={to} unit={unit} threshold={threshold} summary={summary} />
        )}
      </div>
      <div className="mt-2">
        <LagLegend threshold={threshold} unit={unit} />
      </div>
    </figure>
  );
}

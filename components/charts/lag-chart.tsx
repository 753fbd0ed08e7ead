"use client";

import { Area, CartesianGrid, ComposedChart, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatBytes } from "@/lib/format";
import type { SeriesPoint } from "@/lib/lag-series";
import { TonePill } from "@/components/ui/tone-pill";

export type LagUnit = "bytes" | "seconds";

interface Row extends SeriesPoint {
  band: [number, number] | null;
}

const LINE = "#38bdf8"; // sky-400
const LIMIT = "#fbbf24"; // amber-400

export function formatSeconds(v: number | null | undefined): string {
  if (v === null || v === undefined) return "—";
  if (Number.isInteger(v)) return `${v} s`;
  if (v < 10) return `${v.toFixed(v < 1 ? 2 : 1)} s`;
  return `${Math.round(v)} s`;
}

export const formatLag = (unit: LagUnit, v: number | null | undefined) => (unit === "bytes" ? formatBytes(v === null || v === undefined ? v : Math.round(v)) : formatSeconds(v));

function timeTick(spanMs: number) {
  return (t: number) => {
    const d = new Date(t);
    if (spanMs > 2 * 86_400_000) return d.toLocaleDateString("en-GB", { day: "2-digit", month: "short" });
    return d.toLocaleTimeString("en-GB", { hour12: false, hour: "2-digit", minute: "2-digit", second: spanMs <= 600_000 ? "2-digit" : undefined });
  };
}

/** A small legend drawn with the same strokes as the chart, so the styles are named in words. */
function LegendKey({ threshold, unit }: { threshold: number | null; unit: LagUnit }) {
  return (
    <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-400" aria-hidden="true">
      <li className="flex items-center gap-1.5">
        <svg width="22" height="8">
          <line x1="0" y1="4" x2="22" y2="4" stroke={LINE} strokeWidth="2" />
        </svg>
        average (solid)
      </li>
      <li className="flex items-center gap-1.5">
        <svg width="22" height="10">
          <rect x="0" y="1" width="22" height="8" fill={LINE} fillOpacity="0.18" />
        </svg>
        min–max (shaded)
      </li>
      {threshold !== null && (
        <li className="flex items-center gap-1.5">
          <svg width="22" height="8">
            <line x1="0" y1="4" x2="22" y2="4" stroke={LIMIT} strokeWidth="2" strokeDasharray="5 3" />
          </svg>
          limit {formatLag(unit, threshold)} (dashed)
        </li>
      )}
      <li>blank stretch = no data (gap)</li>
    </ul>
  );
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
  const rows: Row[] = points.map((p) => ({ ...p, band: p.min !== null && p.max !== null ? [p.min, p.max] : null }));
  const withData = points.filter((p) => p.avg !== null);
  const latest = withData.at(-1)?.avg ?? null;
  const peak = withData.reduce<number | null>((m, p) => (p.max === null ? m : m === null ? p.max : Math.max(m, p.max)), null);
  const coverage = points.length ? Math.round((withData.length / points.length) * 100) : 0;
  const over = threshold !== null && latest !== null && latest > threshold;
  const fmt = (v: number | null | undefined) => formatLag(unit, v);
  const summary = `${title}: latest ${fmt(latest)}, peak ${fmt(peak)}${threshold !== null ? `, limit ${fmt(threshold)}` : ""}, data in ${coverage}% of the window`;

  return (
    <figure className="rounded-lg border border-slate-800 bg-slate-900/60 p-3" data-testid={testId} data-points={withData.length}>
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
          <ResponsiveContainer width="100%" height="100%">
            <ComposedChart data={rows} margin={{ top: 8, right: 12, bottom: 0, left: 0 }} title={summary}>
              <CartesianGrid stroke="#1e293b" strokeDasharray="2 4" />
              <XAxis
                dataKey="t"
                type="number"
                scale="time"
                domain={[from, to]}
                allowDataOverflow
                tickFormatter={timeTick(to - from)}
                stroke="#64748b"
                tick={{ fontSize: 11 }}
                minTickGap={40}
                axisLine={false}
              />
              <YAxis
                width={64}
                stroke="#64748b"
                tick={{ fontSize: 11 }}
                tickFormatter={(v: number) => fmt(v)}
                allowDecimals={unit === "seconds"}
                // A lag of 0 is drawn a little above the axis, so it never hides in it.
                padding={{ bottom: 6 }}
                domain={[0, (max: number) => Math.ceil(Math.max(max, threshold !== null ? threshold * 1.15 : 0, unit === "bytes" ? 1024 : 1))]}
              />
              <Tooltip
                isAnimationActive={false}
                contentStyle={{ background: "#0f172a", border: "1px solid #334155", fontSize: 12 }}
                labelFormatter={(t) => new Date(Number(t)).toLocaleString("en-GB", { hour12: false })}
                formatter={(value, name) => {
                  if (Array.isArray(value)) return [`${fmt(Number(value[0]))} – ${fmt(Number(value[1]))}`, "min–max"];
                  return [fmt(value as number | null), name === "avg" ? "average" : String(name)];
                }}
              />
              <Area dataKey="band" stroke="none" fill={LINE} fillOpacity={0.18} connectNulls={false} isAnimationActive={false} activeDot={false} />
              <Line dataKey="avg" name="avg" stroke={LINE} strokeWidth={2} dot={false} type="linear" connectNulls={false} isAnimationActive={false} />
              {threshold !== null && (
                <ReferenceLine
                  y={threshold}
                  stroke={LIMIT}
                  strokeWidth={2}
                  strokeDasharray="6 4"
                  label={{ value: `limit ${fmt(threshold)}`, position: "insideTopRight", fill: LIMIT, fontSize: 11 }}
                />
              )}
            </ComposedChart>
          </ResponsiveContainer>
        )}
      </div>
      <div className="mt-2">
        <LegendKey threshold={threshold} unit={unit} />
      </div>
    </figure>
  );
}

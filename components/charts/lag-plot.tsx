"use client";

import { Area, CartesianGrid, ComposedChart, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { LAG_LIMIT, LAG_LINE, formatLag, type LagUnit } from "@/components/charts/lag-format";
import type { SeriesPoint } from "@/lib/lag-series";

interface Row extends SeriesPoint {
  band: [number, number] | null;
}

// Recharts formats every candidate tick to measure it, many times a second on a live chart: a
// formatter built once per format costs far less than toLocale*String, which builds one per call.
const DAY_MONTH = new Intl.DateTimeFormat("en-GB", { day: "2-digit", month: "short" });
const HOUR_MINUTE = new Intl.DateTimeFormat("en-GB", { hour12: false, hour: "2-digit", minute: "2-digit" });
const HOUR_MINUTE_SECOND = new Intl.DateTimeFormat("en-GB", { hour12: false, hour: "2-digit", minute: "2-digit", second: "2-digit" });

function timeTick(spanMs: number) {
  const f = spanMs > 2 * 86_400_000 ? DAY_MONTH : spanMs <= 600_000 ? HOUR_MINUTE_SECOND : HOUR_MINUTE;
  return (t: number) => f.format(t);
}

/** The drawing itself: average line, min–max band, optional dashed limit; gaps stay gaps. */
export function LagPlot({
  points,
  from,
  to,
  unit,
  threshold,
  summary,
}: {
  points: SeriesPoint[];
  from: number;
  to: number;
  unit: LagUnit;
  threshold: number | null;
  summary: string;
}) {
  const rows: Row[] = points.map((p) => ({ ...p, band: p.min !== null && p.max !== null ? [p.min, p.max] : null }));
  const fmt = (v: number | null | undefined) => formatLag(unit, v);
  return (
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
        <Area dataKey="band" stroke="none" fill={LAG_LINE} fillOpacity={0.18} connectNulls={false} isAnimationActive={false} activeDot={false} />
        <Line dataKey="avg" name="avg" stroke={LAG_LINE} strokeWidth={2} dot={false} type="linear" connectNulls={false} isAnimationActive={false} />
        {threshold !== null && (
          <ReferenceLine
            y={threshold}
            stroke={LAG_LIMIT}
            strokeWidth={2}
            strokeDasharray="6 4"
            label={{ value: `limit ${fmt(threshold)}`, position: "insideTopRight", fill: LAG_LIMIT, fontSize: 11 }}
          />
        )}
      </ComposedChart>
    </ResponsiveContainer>
  );
}

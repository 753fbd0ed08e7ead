import { LAG_LIMIT, LAG_LINE, formatLag, type LagUnit } from "@/components/charts/lag-format";

/** A small legend drawn with the same strokes as the chart, so the styles are named in words. */
export function LagLegend({ threshold, unit }: { threshold: number | null; unit: LagUnit }) {
  return (
    <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-400" aria-hidden="true">
      <li className="flex items-center gap-1.5">
        <svg width="22" height="8">
          <line x1="0" y1="4" x2="22" y2="4" stroke={LAG_LINE} strokeWidth="2" />
        </svg>
        average (solid)
      </li>
      <li className="flex items-center gap-1.5">
        <svg width="22" height="10">
          <rect x="0" y="1" width="22" height="8" fill={LAG_LINE} fillOpacity="0.18" />
        </svg>
        min–max (shaded)
      </li>
      {threshold !== null && (
        <li className="flex items-center gap-1.5">
          <svg width="22" height="8">
            <line x1="0" y1="4" x2="22" y2="4" stroke={LAG_LIMIT} strokeWidth="2" strokeDasharray="5 3" />
          </svg>
          limit {formatLag(unit, threshold)} (dashed)
        </li>
      )}
      <li>blank stretch = no data (gap)</li>
    </ul>
  );
}

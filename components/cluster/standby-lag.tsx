import { LagChart } from "@/components/charts/lag-chart";
import { RoleLabel } from "@/components/cluster/role-label";
import type { SeriesPoint } from "@/lib/lag-series";
import type { ClusterMemberView } from "@/lib/snapshot";

/** Charts sit in a grid of columns at least this wide (px). */
export const MIN_CHART_PX = 420;

export interface LagChartSeries {
  points: SeriesPoint[];
  from: number;
  to: number;
  loading: boolean;
  error: string | null;
}

/** One standby's lag, in bytes and in seconds, side by side. */
export function StandbyLag({
  member,
  maxLagSeconds,
  bytes,
  seconds,
}: {
  member: ClusterMemberView;
  maxLagSeconds: number;
  bytes: LagChartSeries;
  seconds: LagChartSeries;
}) {
  const m = member;
  return (
    <div className="space-y-2" data-testid={`lag-${m.name}`}>
      <h3 className="flex items-center gap-2 text-sm font-medium text-slate-200">
        <span className="font-mono">{m.name}</span>
        <span className="text-slate-400">·</span>
        <RoleLabel role={m.role} />
        {m.syncState && <span className="text-xs text-slate-400">({m.syncState})</span>}
      </h3>
      <div className="grid gap-4" style={{ gridTemplateColumns: `repeat(auto-fit, minmax(${MIN_CHART_PX}px, 1fr))` }}>
        <LagChart title="Lag, bytes (primary WAL − standby replay)" unit="bytes" testId={`lag-chart-${m.name}-bytes`} {...bytes} />
        <LagChart
          title="Replay lag, seconds (on the standby)"
          unit="seconds"
          threshold={maxLagSeconds}
          testId={`lag-chart-${m.name}-seconds`}
          {...seconds}
        />
      </div>
    </div>
  );
}

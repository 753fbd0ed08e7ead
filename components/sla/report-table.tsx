import { formatBudget, formatPercent, formatShare } from "@/lib/sla";
import type { RouterOutputs } from "@/lib/trpc/types";
import { tableClass, theadClass } from "@/components/ui/table-classes";

type Row = RouterOutputs["sla"]["report"]["rows"][number];

/** Target vs achieved per subject, with downtime, unknown time, budget used, and both maintenance readings. */
export function ReportTable({ rows }: { rows: Row[] }) {
  return (
    <div className="overflow-x-auto print:overflow-visible">
      <table className={tableClass} data-testid="sla-report-table">
        <thead className={theadClass}>
          <tr>
            <th className="py-1 pr-3 font-medium">Component</th>
            <th className="py-1 pr-3 font-medium">Target</th>
            <th className="py-1 pr-3 font-medium">Achieved</th>
            <th className="py-1 pr-3 font-medium">Downtime</th>
            <th className="py-1 pr-3 font-medium">Budget used</th>
            <th className="py-1 pr-3 font-medium">Unknown</th>
            <th className="py-1 pr-3 font-medium">Degraded / stale</th>
            <th className="py-1 pr-3 font-medium">With maintenance</th>
            <th className="py-1 font-medium">Without maintenance</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} className={`border-t border-slate-800 align-top tabular-nums ${r.kind === "system" ? "font-semibold" : ""}`} data-testid={`sla-report-row-${r.id}`} data-met={r.met === null ? "unknown" : String(r.met)}>
              <td className="py-1 pr-3 text-slate-100">
                {r.name}
                <div className="text-xs font-normal text-slate-500">maintenance {r.maintenancePolicy === "exclude" ? "excluded" : "counted"}</div>
              </td>
              <td className="py-1 pr-3">{r.targetPercent}%</td>
              <td className={`py-1 pr-3 ${r.met === false ? "text-red-300" : r.met ? "text-emerald-300" : "text-slate-400"}`}>
                {formatPercent(r.counted.knownPercent)} {r.met === false ? "✖ missed" : r.met ? "● met" : "? unknown"}
                <div className="text-xs font-normal text-slate-500" data-testid={`sla-report-known-${r.id}`}>
                  measured over {formatBudget(r.counted.knownMs)} of {formatBudget(r.elapsedMs)}; gaps as down: {formatPercent(r.counted.pessimisticPercent, 3)}
                </div>
              </td>
              <td className="py-1 pr-3" data-testid={`sla-report-downtime-${r.id}`}>
                {formatBudget(r.counted.downMs)}
                <div className="text-xs font-normal text-slate-500">{r.counted.incidents} incident{r.counted.incidents === 1 ? "" : "s"}</div>
              </td>
              <td className="py-1 pr-3">
                {formatShare(r.counted.budgetUsedShare)}
                <div className="text-xs font-normal text-slate-500">of {formatBudget(r.allowedMs)}</div>
              </td>
              <td className="py-1 pr-3" data-testid={`sla-report-unknown-${r.id}`}>
                {formatBudget(r.unknownMs)}
                {r.noDataMs > 0 && <div className="text-xs font-normal text-slate-500">+ {formatBudget(r.noDataMs)} no verdict</div>}
              </td>
              <td className="py-1 pr-3">
                {formatBudget(r.degradedMs)} / {formatBudget(r.staleMs)}
              </td>
              <td className="py-1 pr-3">
                {formatBudget(r.includingMaintenance.downMs)} · {formatPercent(r.includingMaintenance.knownPercent)}
              </td>
              <td className="py-1">
                {formatBudget(r.excludingMaintenance.downMs)} · {formatPercent(r.excludingMaintenance.knownPercent)}
                {r.maintenanceMs > 0 && <div className="text-xs font-normal text-slate-500">{formatBudget(r.maintenanceMs)} in windows</div>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

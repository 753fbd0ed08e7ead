import { formatBudget } from "@/lib/sla";
import type { RouterOutputs } from "@/lib/trpc/types";
import { tableClass, theadClass } from "@/components/ui/table-classes";

type Rto = RouterOutputs["sla"]["report"]["rto"];

const ms = (x: number | null) => (x === null ? "—" : formatBudget(x));
const VERDICT: Record<Rto["rows"][number]["verdict"], { text: string; className: string }> = {
  met: { text: "within target", className: "text-emerald-300" },
  missed: { text: "over target", className: "font-semibold text-red-300" },
  "no-data": { text: "no incident", className: "text-slate-500" },
};

/** Per failure mode of the DR document: measured detection and recovery (p50, max, count) against its recovery-time target. */
export function RtoScoreboard({ rto }: { rto: Rto }) {
  return (
    <div className="overflow-x-auto print:overflow-visible">
      <table className={tableClass} data-testid="sla-rto-scoreboard">
        <thead className={theadClass}>
          <tr>
            <th className="py-1 pr-3 font-medium">Failure mode</th>
            <th className="py-1 pr-3 font-medium">Target (recovery)</th>
            <th className="py-1 pr-3 font-medium">Incidents</th>
            <th className="py-1 pr-3 font-medium">Detection p50 / max</th>
            <th className="py-1 pr-3 font-medium">Recovery p50 / max</th>
            <th className="py-1 font-medium">Verdict</th>
          </tr>
        </thead>
        <tbody>
          {rto.rows.map((r) => (
            <tr key={r.mode} className="border-t border-slate-800 align-top tabular-nums" data-testid={`sla-rto-row-${r.mode}`} data-incidents={r.incidents} data-verdict={r.verdict}>
              <td className="py-1 pr-3 text-slate-100">
                {r.label}
                <div className="text-xs text-slate-500">detected by {r.detectionMethod}</div>
              </td>
              <td className="py-1 pr-3">
                {formatBudget(r.targetMinMs)}–{formatBudget(r.targetMaxMs)}
              </td>
              <td className="py-1 pr-3">
                {r.incidents}
                {r.open > 0 && <div className="text-xs text-red-300">{r.open} open, longest {ms(r.longestOpenMs)}</div>}
              </td>
              <td className="py-1 pr-3" data-testid={`sla-rto-detection-${r.mode}`}>
                {ms(r.detection.p50Ms)} / {ms(r.detection.maxMs)}
                {r.detection.count > 0 && <span className="text-xs text-slate-500"> (n={r.detection.count})</span>}
              </td>
              <td className="py-1 pr-3" data-testid={`sla-rto-recovery-${r.mode}`}>
                {ms(r.recovery.p50Ms)} / {ms(r.recovery.maxMs)}
                {r.recovery.count > 0 && <span className="text-xs text-slate-500"> (n={r.recovery.count})</span>}
              </td>
              <td className={`py-1 ${VERDICT[r.verdict].className}`}>{VERDICT[r.verdict].text}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rto.unclassified > 0 && <p className="mt-1 text-xs text-amber-200">{rto.unclassified} incident(s) could not be classified from what failed; correct them below.</p>}
    </div>
  );
}

import { formatBudget, formatPercent } from "@/lib/sla";
import type { RouterOutputs } from "@/lib/trpc/types";
import { tableClass, thClass, theadClass } from "@/components/ui/table-classes";

type Feasibility = RouterOutputs["sla"]["budgets"]["feasibility"];

/** Whether the components' targets can deliver the system's, in plain words, and what each would need. */
export function FeasibilityPanel({ f }: { f: Feasibility }) {
  return (
    <section className="space-y-3" aria-labelledby="sla-feasibility-title" data-testid="sla-feasibility" data-met={f.met}>
      <h2 id="sla-feasibility-title" className="text-sm font-semibold tracking-wider text-slate-400 uppercase">
        Are the targets consistent?
      </h2>
      {f.met ? (
        <p className="text-sm text-emerald-300">
          <span aria-hidden="true">● </span>
          {f.summary}
        </p>
      ) : (
        <div role="note" className="rounded-lg border-2 border-amber-600 bg-amber-950/40 px-4 py-3 text-sm text-amber-100">
          <p className="font-semibold" data-testid="sla-feasibility-message">
            <span aria-hidden="true">▲ </span>
            The configured targets cannot deliver the stated system target. In series, the components compose to{" "}
            {formatPercent(f.composedPercent, 3)} ({formatBudget(f.composedDowntimePerYearMs)} of downtime a year), not the stated {f.systemTargetPercent}% (
            {formatBudget(f.targetDowntimePerYearMs)} a year).
          </p>
          <p className="mt-1">
            {f.parts.length > 1
              ? `For the product to reach ${f.systemTargetPercent}%, each of the ${f.parts.length} parts would need ${formatPercent(f.parts[0]!.equalSharePercent, 5)} (${formatBudget(f.parts[0]!.equalShareDowntimePerYearMs)} a year each).`
              : `The part would need ${f.systemTargetPercent}%.`}{" "}
            {f.parts.every((p) => !p.feasibleAlone) && "No single part can close the gap alone: each would need more than 100%."} Either raise the component targets or state the
            system target the components can deliver.
          </p>
        </div>
      )}
      <table className={tableClass}>
        <thead className={theadClass}>
          <tr>
            <th className={thClass}>Part</th>
            <th className={thClass}>Target</th>
            <th className={thClass}>Downtime / year</th>
            <th className={thClass}>Needed (equal share)</th>
            <th className={thClass}>Allowed at that</th>
            <th className="py-1 font-medium">Needed alone</th>
          </tr>
        </thead>
        <tbody>
          {f.parts.map((p) => (
            <tr key={p.label} className="border-t border-slate-800 tabular-nums" data-testid={`sla-feasibility-${p.label}`}>
              <td className="py-1 pr-4 text-slate-100">{p.label}</td>
              <td className="py-1 pr-4">{formatPercent(p.currentPercent, 3)}</td>
              <td className="py-1 pr-4">{formatBudget(p.downtimePerYearMs)}</td>
              <td className={`py-1 pr-4 ${p.meetsEqualShare ? "text-emerald-300" : "text-amber-200"}`}>
                {formatPercent(p.equalSharePercent, 5)} {p.meetsEqualShare ? "(meets it)" : `(+${p.gapPercentPoints.toFixed(5)} pp)`}
              </td>
              <td className="py-1 pr-4">{formatBudget(p.equalShareDowntimePerYearMs)}</td>
              <td className="py-1">{p.feasibleAlone ? formatPercent(p.aloneNeededPercent, 5) : `${formatPercent(p.aloneNeededPercent, 4)} (impossible)`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

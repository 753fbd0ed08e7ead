import { BUDGET_WINDOW_LABEL, formatBudget, formatInstant, formatPercent, formatShare } from "@/lib/sla";
import type { SubjectBudgetsView } from "./budget-card";
import { BudgetBar } from "./budget-bar";

type BudgetWindow = SubjectBudgetsView["windows"][number];

/** One budget window: used against allowed, what remains, the unknown time, and when it runs out. */
export function BudgetWindowRow({ b, w, timeZone }: { b: SubjectBudgetsView; w: BudgetWindow; timeZone: string }) {
  const f = w.counted;
  const other = b.maintenancePolicy === "exclude" ? w.includingMaintenance : w.excludingMaintenance;
  return (
    <tr className="border-t border-slate-800 align-top" data-testid={`sla-window-${b.id}-${w.id}`}>
      <td className="py-1.5 pr-3 whitespace-nowrap text-slate-300">{BUDGET_WINDOW_LABEL[w.id]}</td>
      <td className="py-1.5 pr-3">
        <BudgetBar allowedMs={w.allowedMs} usedMs={f.usedMs} unknownMs={f.unknownMs + f.noDataMs} testId={`sla-bar-${b.id}-${w.id}`} />
        <span className="text-xs text-slate-400 tabular-nums">
          {formatBudget(f.usedMs)} ({formatShare(f.usedShare)})
          {other.usedMs !== f.usedMs && ` · ${b.maintenancePolicy === "exclude" ? "with" : "without"} maintenance ${formatBudget(other.usedMs)}`}
        </span>
      </td>
      <td className="py-1.5 pr-3 tabular-nums">{formatBudget(w.allowedMs)}</td>
      <td className={`py-1.5 pr-3 tabular-nums ${f.remainingMs < 0 ? "font-semibold text-red-300" : "text-slate-100"}`} data-testid={`sla-remaining-${b.id}-${w.id}`}>
        {f.remainingMs < 0 ? `overspent ${formatBudget(-f.remainingMs)}` : formatBudget(f.remainingMs)}
      </td>
      <td className="py-1.5 pr-3 text-slate-300 tabular-nums">{formatBudget(f.unknownMs + f.noDataMs)}</td>
      <td className="py-1.5 pr-3 tabular-nums" title="over known time; gaps counted as down in brackets">
        {formatPercent(f.knownPercent)} <span className="text-xs text-slate-500">({formatPercent(f.pessimisticPercent, 3)})</span>
      </td>
      <td className="py-1.5 text-xs text-slate-300 tabular-nums">
        {f.exhausted ? (
          <span className="font-semibold text-red-300">exhausted {formatInstant(f.exhaustedAt, timeZone)}</span>
        ) : f.projectedExhaustionAt === null ? (
          "no downtime"
        ) : (
          <>
            {formatInstant(f.projectedExhaustionAt, timeZone)}
            {f.projectedBeforeWindowEnd === false && <span className="text-slate-500"> (after the window)</span>}
            {f.projectedBeforeWindowEnd === true && <span className="text-amber-300"> (within the window)</span>}
          </>
        )}
      </td>
    </tr>
  );
}

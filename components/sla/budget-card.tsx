import { StatusBadge } from "@/components/ui/status-badge";
import { TonePill } from "@/components/ui/tone-pill";
import { formatBudget, formatInstant, formatShare } from "@/lib/sla";
import type { RouterOutputs } from "@/lib/trpc/types";
import { BudgetWindowRow } from "./budget-window-row";
import { BurnRates } from "./burn-rate";
import { theadClass } from "@/components/ui/table-classes";

export type SubjectBudgetsView = RouterOutputs["sla"]["budgets"]["components"][number];

/** One component's (or the system's) budgets over the four windows, its burn and its failover cost. */
export function BudgetCard({ b, timeZone, now }: { b: SubjectBudgetsView; timeZone: string; now: number }) {
  const status = b.statusNow === "UNKNOWN" ? null : b.statusNow;
  return (
    <article className="rounded-lg border border-slate-800 bg-slate-900/60 p-4" data-testid={`sla-budget-${b.id}`} aria-labelledby={`sla-budget-${b.id}-name`}>
      <header className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <h3 id={`sla-budget-${b.id}-name`} className="font-medium text-slate-100">
          {b.name}
        </h3>
        <span className="text-sm text-slate-300 tabular-nums" data-testid={`sla-target-${b.id}`}>
          target {b.targetPercent}%
        </span>
        {status ? <StatusBadge status={status} /> : <TonePill tone="unknown">UNKNOWN</TonePill>}
        {b.burn.page && <TonePill tone="bad">PAGE: burning fast</TonePill>}
        {!b.burn.page && b.burn.ticket && <TonePill tone="warn">TICKET: slow burn</TonePill>}
        <span className="ml-auto text-xs text-slate-400">
          maintenance {b.maintenancePolicy === "exclude" ? "excluded" : "counted"} · down = {b.countsAsDown.join(", ")}
        </span>
      </header>
      {b.openIncident && (
        <p className="mt-2 text-sm text-red-300" data-testid={`sla-open-incident-${b.id}`}>
          <span aria-hidden="true">✖ </span>Down now, for {formatBudget(now - b.openIncident.start)} (since {formatInstant(b.openIncident.start, timeZone)})
        </p>
      )}
      <table className="mt-3 w-full text-left text-sm">
        <thead className={theadClass}>
          <tr>
            <th className="py-1 pr-3 font-medium">Window</th>
            <th className="w-[30%] py-1 pr-3 font-medium">Used</th>
            <th className="py-1 pr-3 font-medium">Allowed</th>
            <th className="py-1 pr-3 font-medium">Remaining</th>
            <th className="py-1 pr-3 font-medium">Unknown</th>
            <th className="py-1 pr-3 font-medium">Achieved</th>
            <th className="py-1 font-medium">Runs out</th>
          </tr>
        </thead>
        <tbody>
          {b.windows.map((w) => (
            <BudgetWindowRow key={w.id} b={b} w={w} timeZone={timeZone} />
          ))}
        </tbody>
      </table>
      <div className="mt-3 space-y-1">
        <BurnRates rules={b.burn.rules} testId={`sla-burn-${b.id}`} />
        {b.kind === "component" && (
          <p className="text-xs text-slate-400" data-testid={`sla-failover-cost-${b.id}`} data-basis={b.failoverCost.basis}>
            Failover cost: {b.failoverCost.summary ?? "no failover recorded and no outage measured yet, so no preview"}
            {b.failoverCost.medianShareOfRemaining !== null && `; ${formatShare(b.failoverCost.medianShareOfRemaining)} of what is left`}
            <span className="text-slate-500"> ({b.failoverCost.source})</span>
          </p>
        )}
      </div>
    </article>
  );
}

import { TonePill } from "@/components/ui/tone-pill";
import { formatBudget } from "@/lib/sla";
import type { BurnView } from "@/server/sla/model";

/** The server's figures as they arrive (type only: nothing of the service reaches the browser). */
export type BurnRuleView = BurnView;

const rate = (r: number | null) => (r === null ? "no data" : r >= 100 ? `${Math.round(r)}×` : `${r.toFixed(r < 10 ? 2 : 1)}×`);

/** The multi-window burn-rate alerts (SRE workbook): each rule's burn over its long and short window. */
export function BurnRates({ rules, testId }: { rules: BurnRuleView[]; testId?: string }) {
  return (
    <ul className="space-y-0.5 text-xs" data-testid={testId}>
      {rules.map((r) => (
        <li key={r.name} className="flex flex-wrap items-center gap-x-2" data-firing={r.firing}>
          {r.firing ? (
            <TonePill tone={r.severity === "page" ? "bad" : "warn"}>{r.severity === "page" ? "PAGE" : "TICKET"}</TonePill>
          ) : (
            <TonePill tone="neutral">quiet</TonePill>
          )}
          <span className="text-slate-300">
            {r.name}: {rate(r.longBurnRate)} over {formatBudget(r.longWindowMs)}, {rate(r.shortBurnRate)} over {formatBudget(r.shortWindowMs)}
          </span>
          <span className="text-slate-500">
            (fires at {r.factor}×{r.longUnknownMs > 0 ? `; ${formatBudget(r.longUnknownMs)} of the long window unknown` : ""})
          </span>
        </li>
      ))}
    </ul>
  );
}

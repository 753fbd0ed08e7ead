import { formatBudget } from "@/lib/sla";

/**
 * Used budget against the allowance, as a bar: counted downtime solid, monitoring gaps hatched
 * after it (what they could hide), the rest empty. The text beside says the same in words.
 */
export function BudgetBar({ allowedMs, usedMs, unknownMs, testId }: { allowedMs: number; usedMs: number; unknownMs: number; testId?: string }) {
  const share = (ms: number) => (allowedMs > 0 ? Math.min(100, (100 * ms) / allowedMs) : ms > 0 ? 100 : 0);
  const used = share(usedMs);
  const unknown = Math.min(100 - used, share(unknownMs));
  const over = usedMs > allowedMs;
  const tone = over ? "bg-red-500" : used >= 75 ? "bg-amber-400" : "bg-sky-400";
  const label = `${formatBudget(usedMs)} of ${formatBudget(allowedMs)} used${over ? " (overspent)" : ""}${unknownMs > 0 ? `, ${formatBudget(unknownMs)} unknown` : ""}`;
  return (
    <div className="sla-bar relative h-3 w-full overflow-hidden rounded border border-slate-600 bg-slate-800" role="img" aria-label={label} data-testid={testId} data-used-share={allowedMs > 0 ? (usedMs / allowedMs).toFixed(4) : undefined}>
      <div className={`absolute inset-y-0 left-0 ${tone}`} style={{ width: `${used}%` }} />
      {unknown > 0 && (
        <div
          className="absolute inset-y-0 bg-slate-500/70"
          style={{ left: `${used}%`, width: `${unknown}%`, backgroundImage: "repeating-linear-gradient(45deg, transparent 0 3px, rgba(15,23,42,.8) 3px 6px)" }}
        />
      )}
    </div>
  );
}

import type { PreflightResult } from "@/lib/actions";

const ICON = { ok: { icon: "✔", cls: "text-emerald-300" }, refused: { icon: "✖", cls: "text-red-300" }, skipped: { icon: "–", cls: "text-slate-500" } } as const;

/** Every preflight condition with its plain-words result. */
export function PreflightChecks({ result, testId = "preflight" }: { result: PreflightResult; testId?: string }) {
  return (
    <div data-testid={testId} data-ok={result.ok}>
      <p className={`text-sm font-medium ${result.ok ? "text-emerald-300" : "text-red-300"}`} data-testid={`${testId}-verdict`}>
        {result.ok ? "Preflight passed" : "Preflight refused"}
      </p>
      <ul className="mt-2 space-y-1 text-sm">
        {result.checks.map((c) => (
          <li key={c.id} className="flex gap-2" data-testid={`${testId}-check-${c.id}`} data-result={c.result}>
            <span aria-hidden="true" className={ICON[c.result].cls}>
              {ICON[c.result].icon}
            </span>
            <span>
              <span className="text-slate-200">{c.label}</span>
              <span className="sr-only"> {c.result}</span>
              <span className={c.result === "refused" ? "text-red-200" : "text-slate-400"}>: {c.detail}</span>
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

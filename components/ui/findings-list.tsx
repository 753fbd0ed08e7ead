import type { Finding } from "@/lib/health";
import { TonePill } from "./tone-pill";

/** Cross-layer findings (split brain, orphan primary, ...) with their explanation; nothing when there are none. */
export function FindingsList({ findings, testId }: { findings: Finding[]; testId?: string }) {
  if (findings.length === 0) return null;
  return (
    <ul className="space-y-2" data-testid={testId} role="alert">
      {findings.map((f) => (
        <li key={f.id} className={`rounded border px-3 py-2 text-sm ${f.severity === "CRITICAL" ? "border-red-700 bg-red-950/40" : "border-amber-700 bg-amber-950/30"}`}>
          <div className="flex flex-wrap items-center gap-2">
            <TonePill tone={f.severity === "CRITICAL" ? "bad" : "warn"}>{f.severity}</TonePill>
            <strong className="text-slate-100">{f.title}</strong>
            <span className="text-xs text-slate-400">since {new Date(f.since).toLocaleTimeString("en-GB", { hour12: false })}</span>
          </div>
          <p className="mt-1 text-slate-300">{f.explanation}</p>
        </li>
      ))}
    </ul>
  );
}

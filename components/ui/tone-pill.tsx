import type { ReactNode } from "react";
import type { Tone } from "@/lib/tone";

const STYLE: Record<Tone, { icon: string; className: string; label: string }> = {
  good: { icon: "●", className: "border-emerald-700 bg-emerald-950 text-emerald-300", label: "ok" },
  warn: { icon: "▲", className: "border-amber-700 bg-amber-950 text-amber-300", label: "warning" },
  bad: { icon: "✖", className: "border-red-700 bg-red-950 text-red-300", label: "problem" },
  neutral: { icon: "○", className: "border-slate-600 bg-slate-900 text-slate-300", label: "" },
  unknown: { icon: "?", className: "border-slate-600 bg-slate-900 text-slate-400", label: "unknown" },
};

/** A status word with an icon and colour; the word itself always carries the meaning. */
export function TonePill({ tone, children, testId }: { tone: Tone; children: ReactNode; testId?: string }) {
  const s = STYLE[tone];
  return (
    <span
      className={`inline-flex items-center gap-1 rounded border px-1.5 py-0.5 text-xs font-medium whitespace-nowrap ${s.className}`}
      data-testid={testId}
      data-tone={tone}
    >
      <span aria-hidden="true">{s.icon}</span>
      {children}
    </span>
  );
}

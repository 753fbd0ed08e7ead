import type { ReactNode } from "react";
import { TONE_ICON, type Tone } from "@/lib/tone";

const STYLE: Record<Tone, string> = {
  good: "border-emerald-700 bg-emerald-950 text-emerald-300",
  warn: "border-amber-700 bg-amber-950 text-amber-300",
  bad: "border-red-700 bg-red-950 text-red-300",
  neutral: "border-slate-600 bg-slate-900 text-slate-300",
  unknown: "border-slate-600 bg-slate-900 text-slate-400",
};

/** A status word with an icon and colour; the word itself always carries the meaning. */
export function TonePill({ tone, children, testId }: { tone: Tone; children: ReactNode; testId?: string }) {
  return (
    <span
      className={`inline-flex items-center gap-1 rounded border px-1.5 py-0.5 text-xs font-medium whitespace-nowrap ${STYLE[tone]}`}
      data-testid={testId}
      data-tone={tone}
    >
      <span aria-hidden="true">{TONE_ICON[tone]}</span>
      {children}
    </span>
  );
}

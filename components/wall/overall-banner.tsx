import { memo } from "react";
import type { Overall } from "@/lib/health";
import { OVERALL_TONE, TONE_ICON, type Tone } from "@/lib/tone";

const SURFACE: Record<Tone, string> = {
  good: "border-emerald-500/70 bg-emerald-950/50",
  warn: "border-amber-400 bg-amber-950/80",
  bad: "border-red-500 bg-red-950",
  neutral: "border-slate-600 bg-slate-900",
  unknown: "border-slate-500 bg-slate-800",
};
const WORD: Record<Tone, string> = {
  good: "text-emerald-300",
  warn: "text-amber-200",
  bad: "text-red-200",
  neutral: "text-slate-200",
  unknown: "text-slate-200",
};

const MAX_REASONS = 3;

/** The verdict in one word, as big as the wall allows, and why. */
export const OverallBanner = memo(
  function OverallBanner({
    title,
    status,
    reasons,
    summary,
    suspected,
  }: {
    title: string;
    status: Overall;
    reasons: string[];
    /** Shown when there is nothing wrong: what was checked. */
    summary: string;
    /** Components with a fault seen but not yet confirmed: a HEALTHY verdict must not look all clear. */
    suspected: number;
    sig: string;
  }) {
    const tone = OVERALL_TONE[status];
    const surface = tone === "good" && suspected > 0 ? SURFACE.warn : SURFACE[tone];
    // Three lines fit: three reasons, or two and a count of the rest.
    const shown = reasons.length <= MAX_REASONS ? reasons : reasons.slice(0, MAX_REASONS - 1);
    const extra = reasons.length - shown.length;
    return (
      <section
        className={`flex min-w-0 flex-1 items-center gap-[1.4rem] rounded-xl border-2 px-[1.2rem] py-[0.4rem] ${surface}`}
        data-testid="wall-overall"
        data-status={status}
        aria-labelledby="wall-overall-word"
      >
        <div className="shrink-0">
          <h1 className="text-[0.95rem] font-semibold tracking-[0.06em] text-slate-300">{title}</h1>
          <p id="wall-overall-word" className={`flex items-center gap-[0.5rem] text-[3.4rem] leading-none font-black tracking-tight ${WORD[tone]}`} aria-live="polite">
            <span aria-hidden="true">{TONE_ICON[tone]}</span>
            {status}
          </p>
        </div>
        {suspected > 0 && (
          <p className="shrink-0 rounded-lg border-2 border-amber-400 bg-amber-950 px-[0.7rem] py-[0.2rem] text-center text-[1.15rem] leading-tight font-bold text-amber-200" data-testid="wall-overall-suspected">
            <span aria-hidden="true">⚠ </span>
            {suspected} suspected
            <span className="block text-[0.85rem] font-semibold text-amber-100">not yet confirmed</span>
          </p>
        )}
        <div className="min-w-0 flex-1 text-[1.15rem] leading-snug">
          {reasons.length === 0 ? (
            <p className="truncate text-slate-200">{summary}</p>
          ) : (
            <ul className="space-y-[0.1rem]" aria-label="Why">
              {shown.map((r, i) => (
                <li key={i} className="truncate text-slate-100">
                  {r}
                </li>
              ))}
              {extra > 0 && <li className="text-slate-200">+{extra} more</li>}
            </ul>
          )}
        </div>
      </section>
    );
  },
  (a, b) => a.sig === b.sig && a.summary === b.summary && a.title === b.title && a.suspected === b.suspected,
);

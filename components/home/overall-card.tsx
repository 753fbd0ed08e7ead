import type { Overall } from "@/lib/health";
import { OVERALL_TONE, TONE_ICON, type Tone } from "@/lib/tone";

const SURFACE: Record<Tone, string> = {
  good: "border-emerald-700/70 bg-emerald-950/40",
  warn: "border-amber-500 bg-amber-950/50",
  bad: "border-red-600 bg-red-950/60",
  neutral: "border-slate-700 bg-slate-900/60",
  unknown: "border-slate-600 bg-slate-900/60",
};
const WORD: Record<Tone, string> = {
  good: "text-emerald-300",
  warn: "text-amber-300",
  bad: "text-red-300",
  neutral: "text-slate-200",
  unknown: "text-slate-300",
};

/** The verdict in one word and why, with what was counted: the first thing an engineer reads. */
export function OverallCard({
  status,
  reasons,
  counts,
  suspected,
}: {
  status: Overall;
  reasons: string[];
  counts: { componentsUp: number; components: number; unitsUp: number; units: number; findings: number };
  /** Components with a fault seen but not yet confirmed: a HEALTHY verdict must not look all clear. */
  suspected: number;
}) {
  const tone = OVERALL_TONE[status];
  const surface = tone === "good" && suspected > 0 ? SURFACE.warn : SURFACE[tone];
  return (
    <section className={`rounded-xl border-2 p-5 ${surface}`} data-testid="home-overall" data-status={status} aria-labelledby="home-overall-word">
      <div className="flex flex-wrap items-center gap-x-8 gap-y-3">
        <p id="home-overall-word" className={`flex items-center gap-3 text-4xl font-black tracking-tight ${WORD[tone]}`} aria-live="polite">
          <span aria-hidden="true">{TONE_ICON[tone]}</span>
          {status}
        </p>
        <dl className="flex flex-wrap gap-x-6 gap-y-1 text-sm text-slate-300 tabular-nums">
          <div>
            <dt className="inline">Components UP </dt>
            <dd className="inline font-semibold text-slate-100" data-testid="home-components-up">
              {counts.componentsUp}/{counts.components}
            </dd>
          </div>
          <div>
            <dt className="inline">Checks UP </dt>
            <dd className="inline font-semibold text-slate-100">
              {counts.unitsUp}/{counts.units}
            </dd>
          </div>
          <div>
            <dt className="inline">Findings </dt>
            <dd className="inline font-semibold text-slate-100">{counts.findings}</dd>
          </div>
        </dl>
        {suspected > 0 && (
          <p className="rounded-md border border-amber-500 bg-amber-950 px-2 py-1 text-sm font-semibold text-amber-200" data-testid="home-suspected">
            <span aria-hidden="true">⚠ </span>
            {suspected} suspected, not yet confirmed
          </p>
        )}
      </div>
      {reasons.length === 0 ? (
        <p className="mt-3 text-sm text-slate-300">Every component is UP and no cross-layer finding is open.</p>
      ) : (
        <ul className="mt-3 list-disc space-y-1 pl-5 text-sm text-slate-100" aria-label="Why" data-testid="home-overall-reasons">
          {reasons.map((r, i) => (
            <li key={i}>{r}</li>
          ))}
        </ul>
      )}
    </section>
  );
}

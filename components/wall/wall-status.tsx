import type { Status } from "@/lib/status";
import { STATUS_WORD, TONE_ICON, suspectLabel, type Tone } from "@/lib/tone";
import type { SuspectView } from "./model-common";
import { TONE_TEXT, statusTone } from "./tone";

/** An icon and a word in the tone's colour: the word alone always carries the meaning. */
export function ToneWord({ tone, quiet = false, children, className = "" }: { tone: Tone; quiet?: boolean; children: React.ReactNode; className?: string }) {
  const colour = quiet ? "font-normal text-slate-400" : `font-semibold ${TONE_TEXT[tone]}`;
  return (
    <span className={`inline-flex items-baseline gap-[0.35em] whitespace-nowrap ${colour} ${className}`} data-tone={tone}>
      <span aria-hidden="true">{TONE_ICON[tone]}</span>
      <span>{children}</span>
    </span>
  );
}

export function WallStatus({ status, className }: { status: Status; className?: string }) {
  return (
    <ToneWord tone={statusTone(status)} className={className}>
      {STATUS_WORD[status]}
    </ToneWord>
  );
}

/**
 * A change seen but not yet confirmed ("DOWN 1/3"), shown at once so hysteresis never hides a fault.
 * A suspected recovery (UP 1/2) is quieter than a suspected fault.
 */
export function SuspectChip({ suspect, className = "" }: { suspect: SuspectView; className?: string }) {
  const recovering = suspect.status === "UP";
  const tone: Tone = recovering ? "neutral" : statusTone(suspect.status) === "bad" ? "bad" : "warn";
  return (
    <span
      className={`inline-flex items-baseline gap-[0.35em] rounded-md border px-[0.4em] font-semibold whitespace-nowrap tabular-nums ${
        recovering ? "border-slate-500 text-slate-200" : tone === "bad" ? "border-red-400 bg-red-950 text-red-200" : "border-amber-400 bg-amber-950 text-amber-200"
      } ${className}`}
      data-testid="suspect"
      title={recovering ? "recovery seen, not yet confirmed" : "fault seen, not yet confirmed"}
    >
      <span aria-hidden="true">{recovering ? "↗" : "⚠"}</span>
      <span>
        {suspectLabel(suspect)}
        <span className="sr-only">{recovering ? " recovery suspected" : " suspected"}</span>
      </span>
    </span>
  );
}

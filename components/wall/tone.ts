import type { Status } from "@/lib/status";
import { STATUS_TONE, type Tone } from "@/lib/tone";

/**
 * The wall's palette: the console's tones and icons (TONE_ICON), in colours that keep AA contrast on
 * the dark background and read from across a room.
 */

export const TONE_TEXT: Record<Tone, string> = {
  good: "text-emerald-300",
  warn: "text-amber-300",
  bad: "text-red-300",
  neutral: "text-slate-200",
  unknown: "text-slate-300",
};

/** Card surfaces: a problem tints the whole card, not only its word. */
export const TONE_CARD: Record<Tone, string> = {
  good: "border-slate-700/80 bg-slate-900/70",
  warn: "border-amber-400/80 bg-amber-950/70",
  bad: "border-red-500 bg-red-950/80",
  neutral: "border-slate-700/80 bg-slate-900/70",
  unknown: "border-slate-500 bg-slate-800/70",
};

/** A thick left edge on cards, so the state shows even in peripheral vision. */
export const TONE_EDGE: Record<Tone, string> = {
  good: "border-l-emerald-400",
  warn: "border-l-amber-400",
  bad: "border-l-red-500",
  neutral: "border-l-slate-500",
  unknown: "border-l-slate-400",
};

export const statusTone = (s: Status): Tone => STATUS_TONE[s];

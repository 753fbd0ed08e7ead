import type { Overall, Suspect } from "./health";
import type { Status } from "./status";

/**
 * How a status word should look. Every tone has its own icon as well as a colour, so state is never
 * carried by colour alone.
 */
export type Tone = "good" | "warn" | "bad" | "neutral" | "unknown";

/** Every tone has its own icon, shown beside the word. */
export const TONE_ICON: Record<Tone, string> = { good: "●", warn: "▲", bad: "✖", neutral: "○", unknown: "?" };

export const STATUS_TONE: Record<Status, Tone> = {
  UP: "good",
  DEGRADED: "warn",
  DOWN: "bad",
  STALE: "unknown",
  NO_DATA: "unknown",
};

/** The words pages print for a status: the one place NO_DATA becomes "NO DATA". */
export const STATUS_WORD: Record<Status, string> = { UP: "UP", DOWN: "DOWN", DEGRADED: "DEGRADED", STALE: "STALE", NO_DATA: "NO DATA" };

export const OVERALL_TONE: Record<Overall, Tone> = { HEALTHY: "good", DEGRADED: "warn", CRITICAL: "bad" };

/** A change seen but not yet confirmed, like HAProxy's "DOWN 1/3". */
export function suspectLabel(s: Pick<Suspect, "status" | "count" | "needed">): string {
  return `${STATUS_WORD[s.status]} ${s.count}/${s.needed}`;
}

/** Patroni member state (running, streaming, stopped, ...). */
export function patroniStateTone(state: string): Tone {
  if (state === "running" || state === "streaming") return "good";
  if (state === "") return "unknown";
  if (/start|stop|restart|recovery|creating/.test(state)) return "warn";
  return "bad";
}

/** HAProxy row status: UP, OPEN, DOWN, MAINT, DRAIN, NOLB, "UP 1/3", "DOWN 1/2", "no check". */
export function haproxyStatusTone(status: string): Tone {
  if (status === "UP" || status === "OPEN") return "good";
  if (status === "DOWN" || status === "MAINT" || status.startsWith("MAINT")) return "bad";
  if (status === "no check") return "neutral";
  if (status === "") return "unknown";
  return "warn";
}

/** keepalived VRRP state. */
export function vrrpStateTone(state: string): Tone {
  if (state === "MASTER") return "good";
  if (state === "BACKUP") return "neutral";
  if (state === "UNKNOWN") return "unknown";
  return "bad";
}

/** "fresh" | "amber" (over 3 s) | "red" (over 10 s): a frozen feed must never look healthy. */
export type AgeLevel = "fresh" | "amber" | "red";
export const AMBER_AFTER_S = 3;
export const RED_AFTER_S = 10;

/**
 * Seconds since the data was current. The snapshot's own `at` is compared with the browser clock; the
 * time it arrived guards against a browser clock running behind the server's (which would hide a stall).
 */
export function dataAgeSeconds(now: number, at: number, receivedAt: number): number {
  return Math.max(0, (now - Math.min(at, receivedAt)) / 1000);
}

export function ageLevel(ageSeconds: number): AgeLevel {
  if (ageSeconds > RED_AFTER_S) return "red";
  if (ageSeconds > AMBER_AFTER_S) return "amber";
  return "fresh";
}

/**
 * Formatting of SLA figures, kept apart from lib/sla.ts so pages that only show budgets (the NOC
 * wall) do not ship zod, which lib/sla.ts needs for the report query.
 */
import { formatDuration } from "./format";

/**
 * A budget in milliseconds, as formatDuration but to a tenth of a second under 10 s, where budgets of
 * five nines live: 0 → "0s", 4_500 → "4.5s", 75_000 → "1m 15s", negative → "−1m 5s" (overspent).
 */
export function formatBudget(ms: number): string {
  const a = Math.abs(ms);
  if (a < 10_000 && a % 1000 !== 0) return `${ms < 0 ? "−" : ""}${(a / 1000).toFixed(1)}s`;
  return formatDuration(ms / 1000);
}

/** Availability with enough digits to tell 99.995 from 99.99: "99.9950%"; null → "—". */
export function formatPercent(p: number | null | undefined, digits = 4): string {
  return p === null || p === undefined || !Number.isFinite(p) ? "—" : `${p.toFixed(digits)}%`;
}

/** A share (0.25) as "25.0%". */
export function formatShare(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? "—" : `${(100 * x).toFixed(1)}%`;
}

/** An instant in the given time zone as "2026-11-25 14:03:07" (sortable, unambiguous with the zone shown beside it). */
export function formatInstant(ms: number | null | undefined, timeZone = "UTC"): string {
  if (ms === null || ms === undefined) return "—";
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" }).formatToParts(ms);
  const p = Object.fromEntries(parts.map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

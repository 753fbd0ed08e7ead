/**
 * Formatting of SLA figures, kept apart from lib/sla.ts so pages that only show budgets (the NOC
 * wall) do not ship zod, which lib/sla.ts needs for the report query.
 */

/**
 * A budget-sized duration, exact to the second: 0 → "0s", 4_500 → "4.5s", 75_000 → "1m 15s",
 * 26.28 min → "26m 17s", 3 h → "3h 0m", negative → "−1m 5s" (overspent).
 */
export function formatBudget(ms: number): string {
  if (!Number.isFinite(ms)) return "—";
  const sign = ms < 0 ? "−" : "";
  const a = Math.abs(ms);
  if (a < 10_000 && a % 1000 !== 0) return `${sign}${(a / 1000).toFixed(1)}s`;
  const s = Math.round(a / 1000);
  if (s < 60) return `${sign}${s}s`;
  if (s < 3600) return `${sign}${Math.floor(s / 60)}m ${s % 60}s`;
  if (s < 86_400) return `${sign}${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${sign}${Math.floor(s / 86_400)}d ${Math.floor((s % 86_400) / 3600)}h`;
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

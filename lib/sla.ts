/**
 * Client-safe SLA vocabulary: the report query (shared by the tRPC router, the CSV route and the
 * report page's form) and the formatting of budgets. No server imports.
 */
import { z } from "zod";

export const REPORT_PERIODS = ["month", "quarter", "year", "custom"] as const;
export type ReportPeriodKind = (typeof REPORT_PERIODS)[number];

/** The budget windows every component and the system are shown over. */
export const BUDGET_WINDOWS = ["rolling30", "month", "quarter", "year"] as const;
export type BudgetWindowId = (typeof BUDGET_WINDOWS)[number];
export const BUDGET_WINDOW_LABEL: Record<BudgetWindowId, string> = {
  rolling30: "Rolling 30 days",
  month: "This month",
  quarter: "This quarter",
  year: "This year",
};

/** The subject id of the whole system in reports and budgets (never a component id: ids are validated). */
export const SYSTEM_ID = "system";

/** "2026-11", "2026-11-25" or a full ISO date-time with a zone ("2026-11-25T10:00:00Z"). */
const DATE_RE = /^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$/;
const DATETIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
export const ReportDate = z
  .string()
  .refine((s) => (DATE_RE.test(s) && !Number.isNaN(Date.parse(s.length === 7 ? `${s}-01` : s))) || (DATETIME_RE.test(s) && !Number.isNaN(Date.parse(s))), {
    error: "expected a date such as 2026-11, 2026-11-25 or 2026-11-25T10:00:00Z",
  });

const ComponentId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, { error: "expected a component id" });

/**
 * A report's period and components. `at` picks the month/quarter/year containing that date (default:
 * now). A custom period runs from `from` to `to`; a plain date as `to` includes that whole day.
 * Dates are read in the configured SLA time zone. No components: every component and the system.
 */
export const ReportQuery = z
  .strictObject({
    period: z.enum(REPORT_PERIODS, { error: "expected one of month, quarter, year, custom" }).default("month"),
    at: ReportDate.optional(),
    from: ReportDate.optional(),
    to: ReportDate.optional(),
    components: z.array(ComponentId).max(200).optional(),
  })
  .superRefine((q, ctx) => {
    if (q.period === "custom") {
      if (!q.from) ctx.addIssue({ code: "custom", path: ["from"], message: "a custom period needs `from`" });
      if (!q.to) ctx.addIssue({ code: "custom", path: ["to"], message: "a custom period needs `to`" });
      if (q.at) ctx.addIssue({ code: "custom", path: ["at"], message: "`at` is for month, quarter or year; a custom period takes `from` and `to`" });
    } else {
      if (q.from) ctx.addIssue({ code: "custom", path: ["from"], message: "`from` is only for period=custom" });
      if (q.to) ctx.addIssue({ code: "custom", path: ["to"], message: "`to` is only for period=custom" });
    }
  });
export type ReportQuery = z.input<typeof ReportQuery>;

/** The query string of a report (CSV link, shareable URL): components comma-separated. */
export function reportSearchParams(q: ReportQuery): URLSearchParams {
  const p = new URLSearchParams();
  p.set("period", q.period ?? "month");
  if (q.at) p.set("at", q.at);
  if (q.from) p.set("from", q.from);
  if (q.to) p.set("to", q.to);
  if (q.components?.length) p.set("components", q.components.join(","));
  return p;
}

/**
 * The inverse of reportSearchParams: raw values for ReportQuery to validate. Empty values are left
 * out (a plain HTML form sends them); unknown keys are kept, so they are refused by name.
 */
export function reportQueryInput(params: URLSearchParams, ignore: readonly string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of params) {
    if (ignore.includes(k) || v.trim() === "") continue;
    if (k === "components") out.components = [...((out.components as string[] | undefined) ?? []), ...v.split(",").map((s) => s.trim()).filter(Boolean)];
    else out[k] = v;
  }
  return out;
}

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

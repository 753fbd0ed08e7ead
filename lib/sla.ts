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

export { formatBudget, formatInstant, formatPercent, formatShare } from "./sla-format";

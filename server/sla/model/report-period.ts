import { BUDGET_WINDOWS, type BudgetWindowId, type ReportPeriodKind } from "@/lib/sla";
import { AppError } from "@/server/errors";
import { type BudgetWindow, DAY, calendarPeriod, localMidnight, offsetMs, windowPeriod } from "@/server/sla";

/** "2026-11" / "2026-11-25" → local midnight (day 1 for a month); a full ISO date-time → that instant. */
export function parseReportDate(s: string, timeZone: string): { ms: number; dateOnly: boolean } {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(s);
  if (!m) return { ms: Date.parse(s), dateOnly: false };
  return { ms: localMidnight(Number(m[1]), Number(m[2]) - 1, Number(m[3] ?? 1), timeZone), dateOnly: true };
}

export interface ReportPeriod {
  kind: ReportPeriodKind;
  from: number;
  to: number;
  /** "2026-11", "2026-Q4", "2026", or "2026-11-03 – 2026-11-09". */
  label: string;
}

export interface ParsedReportQuery {
  period: ReportPeriodKind;
  at?: string;
  from?: string;
  to?: string;
}

/** The longest custom period a report covers (a little over 3 years). */
export const MAX_REPORT_MS = 3 * 366 * DAY;

/** Resolves a validated query to [from, to). Throws BAD_REQUEST (message names the field) for a bad custom range. */
export function resolveReportPeriod(q: ParsedReportQuery, now: number, timeZone: string): ReportPeriod {
  if (q.period === "custom") {
    const from = parseReportDate(q.from!, timeZone).ms;
    const toDate = parseReportDate(q.to!, timeZone);
    // A plain date as `to` includes that day: the period ends at the next local midnight.
    const to = toDate.dateOnly && q.to!.length === 10 ? nextLocalDay(toDate.ms, timeZone) : toDate.dateOnly ? calendarPeriod("month", toDate.ms + DAY, timeZone).to : toDate.ms;
    if (!(to > from)) throw new AppError("BAD_REQUEST", "to: the period must end after it starts");
    if (to - from > MAX_REPORT_MS) throw new AppError("BAD_REQUEST", "to: a custom period may cover at most 3 years");
    return { kind: "custom", from, to, label: `${q.from} – ${q.to}` };
  }
  // The middle of the given day, so a zone's offset cannot move it into the neighbouring period.
  const at = q.at ? parseReportDate(q.at, timeZone).ms + DAY / 2 : now;
  const { from, to } = calendarPeriod(q.period, at, timeZone);
  const local = new Date(from + offsetMs(timeZone, from) + DAY / 2);
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth();
  const label = q.period === "month" ? `${y}-${String(m + 1).padStart(2, "0")}` : q.period === "quarter" ? `${y}-Q${Math.floor(m / 3) + 1}` : `${y}`;
  return { kind: q.period, from, to, label };
}

function nextLocalDay(midnight: number, timeZone: string): number {
  const d = new Date(midnight + offsetMs(timeZone, midnight) + DAY / 2);
  return localMidnight(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1, timeZone);
}

/** The budget windows at `now`, in the configured zone. */
export function budgetWindows(timeZone: string): { id: BudgetWindowId; window: BudgetWindow }[] {
  const byId: Record<BudgetWindowId, BudgetWindow> = {
    rolling30: { kind: "rolling", days: 30 },
    month: { kind: "month", timeZone },
    quarter: { kind: "quarter", timeZone },
    year: { kind: "year", timeZone },
  };
  return BUDGET_WINDOWS.map((id) => ({ id, window: byId[id] }));
}

/** The earliest instant any budget window (or burn window) reaches back to at `now`. */
export function budgetSpanStart(now: number, timeZone: string, burnWindowsMs: readonly number[] = []): number {
  return Math.min(...budgetWindows(timeZone).map((w) => windowPeriod(w.window, now).from), ...burnWindowsMs.map((w) => now - w));
}

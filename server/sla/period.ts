/**
 * Periods and windows: [from, to) in epoch ms. Calendar periods are in UTC unless a time zone is
 * given; the zone only moves the boundaries (local midnight of the 1st), lengths stay in real ms,
 * so a month with a DST change is an hour shorter or longer.
 */

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export interface Period {
  from: number;
  to: number;
}

export type CalendarUnit = "month" | "quarter" | "year";

export type BudgetWindow =
  /** The last `days` days up to `now` (default 30). */
  | { kind: "rolling"; days?: number }
  /** The calendar month, quarter or year containing `now`. */
  | { kind: CalendarUnit; timeZone?: string }
  | { kind: "custom"; from: number; to: number };

const MONTHS: Record<CalendarUnit, number> = { month: 1, quarter: 3, year: 12 };

/** The calendar month, quarter or year containing `at`. `timeZone` is an IANA name (default UTC). */
export function calendarPeriod(unit: CalendarUnit, at: number, timeZone?: string): Period {
  const { year, month } = localYearMonth(at, timeZone);
  const step = MONTHS[unit];
  const first = Math.floor(month / step) * step;
  return { from: startOfMonth(year, first, timeZone), to: startOfMonth(year, first + step, timeZone) };
}

/** The previous or next calendar period (offset −1, +1, ...) relative to the one containing `at`. */
export function shiftCalendarPeriod(unit: CalendarUnit, at: number, offset: number, timeZone?: string): Period {
  const { year, month } = localYearMonth(at, timeZone);
  const step = MONTHS[unit];
  const first = Math.floor(month / step) * step + offset * step;
  return { from: startOfMonth(year, first, timeZone), to: startOfMonth(year, first + step, timeZone) };
}

/** The window's period at `now`. A rolling window ends at `now`; a calendar one may end after it. */
export function windowPeriod(window: BudgetWindow, now: number): Period {
  switch (window.kind) {
    case "rolling":
      return { from: now - (window.days ?? 30) * DAY, to: now };
    case "custom":
      return { from: window.from, to: window.to };
    default:
      return calendarPeriod(window.kind, now, window.timeZone);
  }
}

/** Cuts [from, to) at every calendar boundary: e.g. an incident's months. */
export function splitByCalendar(period: Period, unit: CalendarUnit, timeZone?: string): Period[] {
  const out: Period[] = [];
  let t = period.from;
  while (t < period.to) {
    const next = Math.min(calendarPeriod(unit, t, timeZone).to, period.to);
    out.push({ from: t, to: next });
    t = next;
  }
  return out;
}

function startOfMonth(year: number, month: number, timeZone?: string): number {
  return localMidnight(year, month, 1, timeZone);
}

/** Local midnight of a calendar date in `timeZone` (default UTC), as epoch ms. month0 and day may overflow (month 12 → January of the next year). */
export function localMidnight(year: number, month0: number, day: number, timeZone?: string): number {
  const utc = Date.UTC(year, month0, day);
  if (isUtc(timeZone)) return utc;
  // Local midnight = UTC midnight minus the zone's offset; a second pass settles a DST change.
  const first = utc - offsetMs(timeZone!, utc);
  return utc - offsetMs(timeZone!, first);
}

function localYearMonth(at: number, timeZone?: string): { year: number; month: number } {
  const d = new Date(isUtc(timeZone) ? at : at + offsetMs(timeZone!, at));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() };
}

const isUtc = (tz?: string) => tz === undefined || tz === "UTC" || tz === "Etc/UTC";

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at instant `t` (local − UTC), in ms. Throws RangeError for an unknown zone. */
export function offsetMs(timeZone: string, t: number): number {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(t))) if (part.type !== "literal") p[part.type] = Number(part.value);
  const local = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return local - (t - (((t % SECOND) + SECOND) % SECOND));
}

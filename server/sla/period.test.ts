import { describe, expect, it } from "vitest";
import { calendarPeriod, DAY, HOUR, shiftCalendarPeriod, splitByCalendar, windowPeriod } from "./period";

const T = (iso: string) => Date.parse(iso);

describe("calendar periods", () => {
  it("month, quarter and year in UTC, [from, to)", () => {
    const at = T("2024-02-29T12:00:00Z");
    expect(calendarPeriod("month", at)).toEqual({ from: T("2024-02-01T00:00:00Z"), to: T("2024-03-01T00:00:00Z") });
    expect(calendarPeriod("quarter", at)).toEqual({ from: T("2024-01-01T00:00:00Z"), to: T("2024-04-01T00:00:00Z") });
    expect(calendarPeriod("year", at)).toEqual({ from: T("2024-01-01T00:00:00Z"), to: T("2025-01-01T00:00:00Z") });
    expect(calendarPeriod("quarter", T("2024-12-31T23:59:59.999Z"))).toEqual({ from: T("2024-10-01T00:00:00Z"), to: T("2025-01-01T00:00:00Z") });
    // The boundary instant belongs to the new period.
    expect(calendarPeriod("month", T("2024-03-01T00:00:00Z")).from).toBe(T("2024-03-01T00:00:00Z"));
  });

  it("a time zone moves the boundaries to local midnight; DST makes the month an hour shorter", () => {
    const march = calendarPeriod("month", T("2024-03-15T12:00:00Z"), "Europe/London");
    expect(march).toEqual({ from: T("2024-03-01T00:00:00Z"), to: T("2024-03-31T23:00:00Z") });
    expect(march.to - march.from).toBe(31 * DAY - HOUR);
    // 23:30 UTC on 30 June is already July in London (BST, UTC+1).
    expect(calendarPeriod("month", T("2024-06-30T23:30:00Z"), "Europe/London").from).toBe(T("2024-06-30T23:00:00Z"));
    expect(calendarPeriod("year", T("2024-06-01T00:00:00Z"), "America/New_York")).toEqual({ from: T("2024-01-01T05:00:00Z"), to: T("2025-01-01T05:00:00Z") });
    expect(calendarPeriod("month", T("2024-06-01T00:00:00Z"), "Asia/Kolkata").from).toBe(T("2024-05-31T18:30:00Z"));
    expect(() => calendarPeriod("month", 0, "Mars/Olympus")).toThrow(RangeError);
  });

  it("shifts to previous and next periods", () => {
    const at = T("2025-01-15T00:00:00Z");
    expect(shiftCalendarPeriod("month", at, -1)).toEqual({ from: T("2024-12-01T00:00:00Z"), to: T("2025-01-01T00:00:00Z") });
    expect(shiftCalendarPeriod("quarter", at, 1)).toEqual({ from: T("2025-04-01T00:00:00Z"), to: T("2025-07-01T00:00:00Z") });
  });

  it("windows: rolling ends at now, calendar contains now, custom as given", () => {
    const now = T("2025-05-20T10:00:00Z");
    expect(windowPeriod({ kind: "rolling" }, now)).toEqual({ from: now - 30 * DAY, to: now });
    expect(windowPeriod({ kind: "rolling", days: 7 }, now)).toEqual({ from: now - 7 * DAY, to: now });
    expect(windowPeriod({ kind: "month" }, now)).toEqual({ from: T("2025-05-01T00:00:00Z"), to: T("2025-06-01T00:00:00Z") });
    expect(windowPeriod({ kind: "custom", from: 1, to: 2 }, now)).toEqual({ from: 1, to: 2 });
  });

  it("splits a span at calendar boundaries", () => {
    expect(splitByCalendar({ from: T("2025-01-31T23:50:00Z"), to: T("2025-03-01T00:20:00Z") }, "month")).toEqual([
      { from: T("2025-01-31T23:50:00Z"), to: T("2025-02-01T00:00:00Z") },
      { from: T("2025-02-01T00:00:00Z"), to: T("2025-03-01T00:00:00Z") },
      { from: T("2025-03-01T00:00:00Z"), to: T("2025-03-01T00:20:00Z") },
    ]);
  });
});

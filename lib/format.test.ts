import { describe, expect, it } from "vitest";
import { formatBytes, formatDuration, formatMs } from "./format";
import { formatBudget } from "./sla-format";

describe("format", () => {
  it("formats bytes", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(2048)).toBe("2.0 KiB");
    expect(formatBytes(50 * 1024 * 1024)).toBe("50 MiB");
    expect(formatBytes(null)).toBe("—");
  });
  it("formats durations", () => {
    expect(formatDuration(5)).toBe("5s");
    expect(formatDuration(75)).toBe("1m 15s");
    expect(formatDuration(7260)).toBe("2h 1m");
    expect(formatDuration(90_000)).toBe("1d 1h");
    expect(formatDuration(-65)).toBe("−1m 5s");
    expect(formatDuration(null)).toBe("—");
  });
  it("formats budgets in ms, to a tenth of a second under 10 s", () => {
    expect(formatBudget(0)).toBe("0s");
    expect(formatBudget(4_500)).toBe("4.5s");
    expect(formatBudget(-4_500)).toBe("−4.5s");
    expect(formatBudget(9_000)).toBe("9s");
    expect(formatBudget(75_000)).toBe("1m 15s");
    expect(formatBudget(26.28 * 60_000)).toBe("26m 17s");
    expect(formatBudget(3 * 3_600_000)).toBe("3h 0m");
    expect(formatBudget(-65_000)).toBe("−1m 5s");
    expect(formatBudget(Number.NaN)).toBe("—");
  });
  it("formats latencies", () => {
    expect(formatMs(1.234)).toBe("1.2 ms");
    expect(formatMs(123.4)).toBe("123 ms");
    expect(formatMs(null)).toBe("—");
  });
});

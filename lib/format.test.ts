import { describe, expect, it } from "vitest";
import { formatBytes, formatDuration, formatMs } from "./format";

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
  });
  it("formats latencies", () => {
    expect(formatMs(1.234)).toBe("1.2 ms");
    expect(formatMs(123.4)).toBe("123 ms");
    expect(formatMs(null)).toBe("—");
  });
});

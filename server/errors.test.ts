import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ReportQuery } from "@/lib/sla";
import { AppError, formatIssues, parseInput } from "./errors";

describe("parseInput", () => {
  it("returns the parsed value", () => {
    expect(parseInput(ReportQuery, {})).toEqual({ period: "month" });
  });

  it("throws BAD_REQUEST naming every field", () => {
    const e = (() => {
      try {
        parseInput(z.object({ a: z.number(), b: z.object({ c: z.string() }) }), { a: "x", b: {} });
      } catch (x) {
        return x;
      }
    })();
    expect(e).toBeInstanceOf(AppError);
    expect(e).toMatchObject({ code: "BAD_REQUEST" });
    expect((e as Error).message).toMatch(/^a: .+; b\.c: .+$/);
  });

  it("names unknown keys and the value itself, and prefixes what was invalid", () => {
    expect(() => parseInput(ReportQuery, { period: "month", bogus: 1 }, { root: "query" })).toThrow(/^bogus: unknown parameter$/);
    expect(() => parseInput(z.number(), "x", { root: "id" })).toThrow(/^id: /);
    expect(() => parseInput(z.number(), "x", { what: "series query" })).toThrow(/^invalid series query: input: /);
  });
});

describe("formatIssues", () => {
  it("formats the report query's own messages", () => {
    const r = ReportQuery.safeParse({ period: "week" });
    expect(r.success ? "" : formatIssues(r.error, "query")).toBe("period: expected one of month, quarter, year, custom");
  });
});

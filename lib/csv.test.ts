import { describe, expect, it } from "vitest";
import { csvField, csvLine } from "./csv";

describe("csvField", () => {
  it("leaves plain text, numbers and booleans as they are", () => {
    expect(csvField("pg1")).toBe("pg1");
    expect(csvField(42)).toBe("42");
    expect(csvField(true)).toBe("true");
    expect(csvField(null)).toBe("");
  });
  it("writes no figure for a non-finite number", () => {
    expect(csvField(Number.NaN)).toBe("");
    expect(csvField(Number.POSITIVE_INFINITY)).toBe("");
  });
  it("quotes commas, quotes and line breaks, doubling quotes", () => {
    expect(csvField('a,"b"')).toBe('"a,""b"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
  });
  it("defuses a leading formula character", () => {
    for (const lead of ["=", "+", "-", "@", "\t", "\r"]) expect(csvField(`${lead}1+1`).startsWith("'") || csvField(`${lead}1+1`).startsWith(`"'`)).toBe(true);
    expect(csvField("=HYPERLINK(\"x\")")).toBe('"\'=HYPERLINK(""x"")"');
  });
  it("joins a line", () => {
    expect(csvLine(["a", 1, null, "b,c"])).toBe('a,1,,"b,c"');
  });
});

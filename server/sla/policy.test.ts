import { describe, expect, it } from "vitest";
import { DowntimePolicies, resolvePolicy } from "./policy";

describe("resolvePolicy", () => {
  it("applies the defaults, then a component's overrides field by field", () => {
    const p = DowntimePolicies.parse({ default: { maintenance: "exclude" }, components: { database: { countsAsDown: ["DOWN", "STALE"] } } });
    // A field the component leaves out keeps the configured default, not the schema's.
    expect(resolvePolicy(p, "database")).toEqual({ countsAsDown: ["DOWN", "STALE"], maintenance: "exclude" });
    expect(resolvePolicy(p, "cache")).toEqual({ countsAsDown: ["DOWN"], maintenance: "exclude" });
    expect(resolvePolicy(undefined, "cache")).toEqual({ countsAsDown: ["DOWN"], maintenance: "count" });
  });

  it("refuses an empty countsAsDown and an unknown status", () => {
    expect(DowntimePolicies.safeParse({ components: { a: { countsAsDown: [] } } }).success).toBe(false);
    expect(DowntimePolicies.safeParse({ default: { countsAsDown: ["MAYBE"] } }).success).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { componentOfSubject, componentSubject, lagSubject, unitKey } from "./keys";

describe("keys", () => {
  it("builds unit keys with and without a node", () => {
    expect(unitKey("patroni", "labcluster")).toBe("patroni:labcluster");
    expect(unitKey("postgres", "labcluster", "pg1")).toBe("postgres:labcluster/pg1");
  });
  it("round-trips component subjects and refuses other subjects", () => {
    expect(componentSubject("database")).toBe("component:database");
    expect(componentOfSubject(componentSubject("database"))).toBe("database");
    expect(componentOfSubject("postgres:labcluster/pg1")).toBeNull();
    expect(componentOfSubject("overall")).toBeNull();
  });
  it("names lag series by cluster and member", () => {
    expect(lagSubject("labcluster", "pg2")).toBe("labcluster/pg2");
  });
});

import { describe, expect, it } from "vitest";
import { groupsOf, mapRole } from "./role-mapping";

const MAPPING = [
  { group: "noc-viewers", role: "viewer" },
  { group: "noc-approvers", role: "approver" },
  { group: "noc-operators", role: "operator" },
  { group: "noc-admins", role: "admin" },
] as const;

describe("roles from group claims", () => {
  it("gives the highest role among the matching groups, whatever their order", () => {
    expect(mapRole(["noc-viewers", "noc-approvers"], MAPPING, "refuse")).toEqual({ role: "approver", group: "noc-approvers" });
    expect(mapRole(["noc-approvers", "noc-viewers"], MAPPING, "refuse")).toEqual({ role: "approver", group: "noc-approvers" });
    expect(mapRole(["noc-operators", "noc-admins", "noc-viewers"], MAPPING, "refuse")).toEqual({ role: "admin", group: "noc-admins" });
  });

  it("matches group names exactly (case and whole name)", () => {
    expect(mapRole(["NOC-ADMINS", "noc-admins-old", "noc"], MAPPING, "refuse")).toEqual({ role: null, group: null });
  });

  it("someone in no mapped group is a viewer or refused, by setting", () => {
    expect(mapRole(["payroll"], MAPPING, "viewer")).toEqual({ role: "viewer", group: null });
    expect(mapRole([], MAPPING, "refuse")).toEqual({ role: null, group: null });
  });

  it("a group removed drops the role it gave", () => {
    expect(mapRole(["noc-approvers", "noc-viewers"], MAPPING, "refuse").role).toBe("approver");
    expect(mapRole(["noc-viewers"], MAPPING, "refuse").role).toBe("viewer");
  });

  it("reads the groups claim as a list or a single string, ignoring other values", () => {
    expect(groupsOf({ groups: ["a", 1, "b", null] }, "groups")).toEqual(["a", "b"]);
    expect(groupsOf({ roles: "a" }, "roles")).toEqual(["a"]);
    expect(groupsOf({ groups: { a: true } }, "groups")).toEqual([]);
    expect(groupsOf({}, "groups")).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { loginPath, safeNext } from "./safe-next";

describe("safeNext: only same-site paths", () => {
  it("keeps a path on this site, with its query and fragment", () => {
    expect(safeNext("/clusters")).toBe("/clusters");
    expect(safeNext("/clusters/labcluster?tab=history#pg2")).toBe("/clusters/labcluster?tab=history#pg2");
    expect(safeNext("/")).toBe("/");
  });

  it.each([
    ["another site", "https://evil.test/"],
    ["protocol-relative", "//evil.test/x"],
    ["backslash", "/\\evil.test"],
    ["backslash later", "/x/..\\..\\\\evil.test"],
    ["tab inside (browsers drop it)", "/\t/evil.test"],
    ["newline", "/\n/evil.test"],
    ["javascript:", "javascript:alert(1)"],
    ["a relative name", "clusters"],
    ["empty", ""],
    ["not a string", ["/a", "/b"]],
    ["undefined", undefined],
  ])("refuses %s", (_label, next) => {
    expect(safeNext(next)).toBe("/");
  });

  it("normalises dot segments without leaving the site", () => {
    expect(safeNext("/../../etc")).toBe("/etc");
    expect(safeNext("/a/%2F%2Fevil.test")).toBe("/a/%2F%2Fevil.test");
  });

  it("builds the sign-in link for a page", () => {
    expect(loginPath("/vrrp")).toBe("/login?next=%2Fvrrp");
    expect(loginPath("/clusters?x=1")).toBe("/login?next=%2Fclusters%3Fx%3D1");
    expect(loginPath("/")).toBe("/login");
    expect(loginPath("//evil.test")).toBe("/login");
  });
});

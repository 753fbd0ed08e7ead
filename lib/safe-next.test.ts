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
    ["a dot segment before //", "/.//evil.test/x"],
    ["an encoded dot segment before //", "/%2e//evil.test"],
    ["an encoded dot segment, upper case", "/%2E//evil.test/x?y=1"],
    ["a parent segment before //", "/a/..//evil.test"],
    ["several dot segments before //", "/./.././/evil.test"],
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

  it("refuses what /login?next= decodes to a protocol-relative path", () => {
    // The query parameter as the page receives it, already percent-decoded once.
    expect(safeNext(new URLSearchParams("next=%2F.%2F%2Fevil.test%2Fx").get("next"))).toBe("/");
    expect(safeNext(new URLSearchParams("next=%2F%252e%2F%2Fevil.test").get("next"))).toBe("/");
  });

  it("never answers a path a browser would read as another site", () => {
    for (const p of ["/.//a", "/%2e//a", "/%2e%2e//a", "/x/../..//a", "/./\\a", "/.%2F/a"]) {
      const out = safeNext(p);
      expect(out.startsWith("//") || out.startsWith("/\\"), `${p} -> ${out}`).toBe(false);
    }
  });

  it("builds the sign-in link for a page", () => {
    expect(loginPath("/vrrp")).toBe("/login?next=%2Fvrrp");
    expect(loginPath("/clusters?x=1")).toBe("/login?next=%2Fclusters%3Fx%3D1");
    expect(loginPath("/")).toBe("/login");
    expect(loginPath("//evil.test")).toBe("/login");
  });
});

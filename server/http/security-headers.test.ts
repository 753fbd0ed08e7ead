import { describe, expect, it } from "vitest";
import { headerSettingsOf } from "./header-settings";
import { STRICT_HEADER_SETTINGS, newNonce, securityHeaders } from "./security-headers";

const directives = (csp: string) => Object.fromEntries(csp.split(";").map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k!, v]));

describe("security headers", () => {
  it("a page: scripts only with this response's nonce, never framed, no eval", () => {
    const h = securityHeaders("/approvals", STRICT_HEADER_SETTINGS, "bm9uY2U=");
    const d = directives(h["Content-Security-Policy"]!);
    expect(d["script-src"]).toEqual(["'self'", "'nonce-bm9uY2U='", "'strict-dynamic'"]);
    expect(d["script-src"]).not.toContain("'unsafe-inline'");
    expect(d["style-src-elem"]).toEqual(["'self'", "'nonce-bm9uY2U='"]);
    expect(d["object-src"]).toEqual(["'none'"]);
    expect(d["base-uri"]).toEqual(["'none'"]);
    expect(d["frame-ancestors"]).toEqual(["'none'"]);
    expect(h["X-Frame-Options"]).toBe("DENY");
    expect(h["X-Content-Type-Options"]).toBe("nosniff");
    expect(h["Referrer-Policy"]).toBe("same-origin");
    expect(h["Strict-Transport-Security"]).toBeUndefined();
    expect(h["Content-Security-Policy"]).not.toContain("unsafe-eval");
  });

  it("'unsafe-eval' only for next dev", () => {
    expect(securityHeaders("/", STRICT_HEADER_SETTINGS, "n", true)["Content-Security-Policy"]).toContain("'unsafe-eval'");
  });

  it("the wall may be framed by the configured origins only; console pages and API answers never", () => {
    const s = { https: false, wallFrameAncestors: ["https://portal.example.com"] };
    const wall = securityHeaders("/wall", s, "n");
    expect(directives(wall["Content-Security-Policy"]!)["frame-ancestors"]).toEqual(["https://portal.example.com"]);
    expect(wall["X-Frame-Options"]).toBeUndefined();
    expect(directives(securityHeaders("/approvals", s, "n")["Content-Security-Policy"]!)["frame-ancestors"]).toEqual(["'none'"]);
    expect(directives(securityHeaders("/wallpaper", s, "n")["Content-Security-Policy"]!)["frame-ancestors"]).toEqual(["'none'"]);
    const api = securityHeaders("/api/trpc/overview.get", s, null);
    expect(api["Content-Security-Policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(api["X-Frame-Options"]).toBe("DENY");
    expect(api["X-Content-Type-Options"]).toBe("nosniff");
  });

  it("HSTS and upgrade-insecure-requests only when served over https", () => {
    const h = securityHeaders("/", { https: true, wallFrameAncestors: [] }, "n");
    expect(h["Strict-Transport-Security"]).toBe("max-age=31536000");
    expect(h["Content-Security-Policy"]).toContain("upgrade-insecure-requests");
    expect(securityHeaders("/api/healthz", { https: true, wallFrameAncestors: [] }, null)["Strict-Transport-Security"]).toBe("max-age=31536000");
  });

  it("nonces are fresh and 128 bits", () => {
    const a = newNonce();
    expect(a).not.toBe(newNonce());
    expect(Buffer.from(a, "base64")).toHaveLength(16);
  });
});

describe("header settings from the config file", () => {
  it("reads auth.baseURL's scheme and wall.frameAncestors", () => {
    expect(headerSettingsOf("version: 1\nauth:\n  baseURL: https://noc.example.com\nwall:\n  frameAncestors: [https://portal.example.com]\n")).toEqual({
      https: true,
      wallFrameAncestors: ["https://portal.example.com"],
    });
    expect(headerSettingsOf("version: 1\n")).toEqual({ https: false, wallFrameAncestors: [] });
  });

  it("anything invalid gives the strictest settings, never a wider frame-ancestors", () => {
    expect(headerSettingsOf("wall:\n  frameAncestors: [\"*\"]\n")).toEqual(STRICT_HEADER_SETTINGS);
    expect(headerSettingsOf("wall:\n  frameAncestors: [\"https://a.example.com; script-src *\"]\n")).toEqual(STRICT_HEADER_SETTINGS);
    expect(headerSettingsOf("::: not yaml [")).toEqual(STRICT_HEADER_SETTINGS);
  });
});

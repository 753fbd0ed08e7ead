import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { config } from "@/proxy";
import manifest from "./manifest";

describe("web app manifest", () => {
  it("installs /wall as a full-screen dark kiosk app", () => {
    const m = manifest();
    expect(m).toMatchObject({ start_url: "/wall", display: "fullscreen", background_color: "#030712", theme_color: "#030712" });
  });

  it("names only icons that public/ holds, including 192 and 512 px PNGs", () => {
    const icons = manifest().icons ?? [];
    for (const i of icons) expect(existsSync(path.join("public", i.src)), i.src).toBe(true);
    expect(icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(["192x192", "512x512"]));
  });

  it("is not run through the proxy, nor are the icons", () => {
    const matcher = new RegExp(`^${config.matcher[0]}$`);
    for (const p of ["/manifest.webmanifest", "/favicon.svg", "/icons/icon-192.png", "/icons/icon-512.png"]) expect(matcher.test(p), p).toBe(false);
    expect(matcher.test("/wall")).toBe(true);
    // API answers get their security headers there.
    expect(matcher.test("/api/trpc/overview.get")).toBe(true);
  });
});

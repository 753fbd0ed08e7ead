import { expect, test } from "@playwright/test";

/** A wall screen installs /wall as a kiosk app before anyone signs in: the manifest and icons need no session. */
test.use({ storageState: { cookies: [], origins: [] } });

test("the web app manifest and its icons are served without a session", async ({ page, request }) => {
  const res = await request.get("/manifest.webmanifest");
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toContain("application/manifest+json");
  const m = (await res.json()) as { start_url: string; display: string; theme_color: string; icons: { src: string; type: string }[] };
  expect(m).toMatchObject({ start_url: "/wall", display: "fullscreen" });
  for (const icon of m.icons) {
    const r = await request.get(icon.src);
    expect(r.status(), icon.src).toBe(200);
    expect(r.headers()["content-type"], icon.src).toContain(icon.type);
  }

  // The sign-in page links it, so a browser offers the install there too.
  await page.goto("/login");
  await expect(page.locator('link[rel="manifest"]')).toHaveAttribute("href", /^\/manifest\.webmanifest/);
});

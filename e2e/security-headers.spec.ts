import { expect, test, type Browser, type Page } from "@playwright/test";
import { BASE_URL, signIn, signInWithForm } from "./auth-helpers";
import { demoPassword } from "./lab/demo-users";
import { collectConsoleErrors } from "./page-errors";

/**
 * The security headers against `next start`: what every page and API answer carries, and that every
 * page still works in a real browser under its Content-Security-Policy (Next's scripts run with the
 * nonce, nothing is blocked, nothing is logged as an error).
 */

const SIGNED_OUT = { cookies: [], origins: [] };

async function contextAs(browser: Browser, user: "admin" | null) {
  const ctx = await browser.newContext({ baseURL: BASE_URL, storageState: SIGNED_OUT });
  if (user) await signIn(ctx.request, user);
  return ctx;
}

/** Every CSP violation the page reports, from the document's own event. */
async function recordViolations(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const w = window as unknown as { __cspViolations: string[] };
    w.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) => w.__cspViolations.push(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"}`));
  });
  return () => page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);
}

/** React has hydrated the page: its client scripts ran despite the CSP. */
async function expectHydrated(page: Page) {
  await expect
    .poll(() => page.evaluate(() => Boolean((window as unknown as { next?: { version?: string } }).next?.version) && Object.keys(document.body).some((k) => k.startsWith("__react"))), {
      message: "Next's client runtime ran and React hydrated the page",
      timeout: 15_000,
    })
    .toBe(true);
}

function directives(csp: string | null): Record<string, string[]> {
  return Object.fromEntries((csp ?? "").split(";").map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k!, v]));
}

test.describe("headers over HTTP", () => {
  test("a page: CSP with a fresh nonce on every script Next renders, never framed, nosniff, referrer policy, no HSTS over http", async ({ request }) => {
    const a = await request.get("/");
    const b = await request.get("/");
    expect(a.status()).toBe(200);
    const csp = directives(a.headers()["content-security-policy"] ?? null);
    const nonce = csp["script-src"]?.find((s) => s.startsWith("'nonce-"))?.slice(7, -1);
    expect(nonce, "script-src carries a nonce").toBeTruthy();
    expect(csp["script-src"]).not.toContain("'unsafe-inline'");
    expect(csp["script-src"]).not.toContain("'unsafe-eval'");
    expect(csp["frame-ancestors"]).toEqual(["'none'"]);
    expect(csp["object-src"]).toEqual(["'none'"]);
    expect(b.headers()["content-security-policy"]).not.toBe(a.headers()["content-security-policy"]);
    expect(a.headers()["x-frame-options"]).toBe("DENY");
    expect(a.headers()["x-content-type-options"]).toBe("nosniff");
    expect(a.headers()["referrer-policy"]).toBe("same-origin");
    expect(a.headers()["strict-transport-security"]).toBeUndefined();
    // Every script element of the page carries this response's nonce.
    const html = await a.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const s of scripts) expect(s, "script without this response's nonce").toContain(`nonce="${nonce}"`);
  });

  test("the wall and an API route carry them too", async ({ request }) => {
    const wall = await request.get("/wall");
    expect(wall.status()).toBe(200);
    expect(directives(wall.headers()["content-security-policy"] ?? null)["frame-ancestors"]).toEqual(["'none'"]);
    expect(wall.headers()["x-content-type-options"]).toBe("nosniff");
    for (const path of ["/api/healthz", "/api/trpc/session.me", "/api/auth/get-session"]) {
      const api = await request.get(path);
      expect(api.headers()["content-security-policy"], path).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(api.headers()["x-content-type-options"], path).toBe("nosniff");
      expect(api.headers()["x-frame-options"], path).toBe("DENY");
      expect(api.headers()["referrer-policy"], path).toBe("same-origin");
    }
  });
});

test.describe("every page works under the CSP", () => {
  const PAGES = ["/", "/clusters", "/clusters/labcluster", "/haproxy", "/redis", "/vrrp", "/sla", "/sla/report", "/approvals", "/alerts", "/admin", "/wall"];

  test("signed in as the admin, each page hydrates with no CSP violation and no console error", async ({ browser }) => {
    const ctx = await contextAs(browser, "admin");
    // An action's page too, when the store holds one (earlier failover runs leave some).
    const listed = await ctx.request.get(`/api/trpc/actions.list?input=${encodeURIComponent(JSON.stringify({ json: { limit: 1 } }))}`);
    const actions = ((await listed.json()) as { result?: { data?: { json?: { id: number }[] } } }).result?.data?.json ?? [];
    if (actions[0]) PAGES.push(`/actions/${actions[0].id}`);
    const page = await ctx.newPage();
    const errors = collectConsoleErrors(page);
    const violations = await recordViolations(page);
    for (const path of PAGES) {
      await test.step(path, async () => {
        const res = await page.goto(path);
        expect(res?.status(), path).toBeLessThan(500);
        await expectHydrated(page);
        // Let the first polls and charts run under the policy too.
        await page.waitForTimeout(1500);
        expect(await violations(), `CSP violations on ${path}`).toEqual([]);
      });
    }
    expect(errors).toEqual([]);
    await ctx.close();
  });

  test("the sign-in page works signed out, and signing in through it works under the CSP", async ({ browser }) => {
    const ctx = await contextAs(browser, null);
    const page = await ctx.newPage();
    const errors = collectConsoleErrors(page);
    const violations = await recordViolations(page);
    await page.goto("/login?next=%2Fhaproxy");
    await expectHydrated(page);
    await signInWithForm(page, "admin", demoPassword("admin"));
    await expect(page).toHaveURL(`${BASE_URL}/haproxy`);
    await expectHydrated(page);
    expect(await violations()).toEqual([]);
    expect(errors).toEqual([]);
    await ctx.close();
  });

  test("a page on another origin cannot frame the approvals page", async ({ browser }) => {
    const ctx = await contextAs(browser, "admin");
    const page = await ctx.newPage();
    // Another origin, served by Playwright itself (nothing leaves the machine).
    await page.route("http://framer.test/", (r) =>
      r.fulfill({ contentType: "text/html", body: `<iframe id="f" src="${BASE_URL}/approvals" width="800" height="600"></iframe>` }),
    );
    await page.goto("http://framer.test/");
    // Chrome replaces a frame refused by frame-ancestors with its error page: nothing of the dashboard
    // (not even its sign-in form, which is what a cross-site frame without the cookie would show) renders.
    const inner = () => page.frames().find((f) => f !== page.mainFrame());
    await expect.poll(() => inner()?.url(), { timeout: 10_000 }).toBe("chrome-error://chromewebdata/");
    expect(await inner()!.locator("body").innerText()).not.toMatch(/HA Control Room|Sign in|Approvals/i);
    await ctx.close();
  });
});

import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { BASE_URL, E2E_PORT, signIn, signInWithForm, trpcMutation } from "./auth-helpers";
import { demoPassword } from "./lab/demo-users";
import { fault } from "./lab/faults";
import { OIDC, HOST } from "./lab/topology";
import { OIDC_USERS, oidcPassword, setOidcGroups } from "./lab/oidc-users";

/**
 * Single sign-on through the lab's real OpenID provider (oidc-provider on 127.0.0.1): its own login
 * page, a verified id_token, the role from the groups claim at every sign-in, and local sign-in still
 * there when the provider does not answer. No mocked tokens.
 */

const SIGNED_OUT = { cookies: [], origins: [] };
const PROVIDER = `http://${HOST}:${OIDC.port}`;
const defaultGroups = (u: string) => OIDC_USERS.find((x) => x.username === u)!.groups;

test.use({ storageState: SIGNED_OUT });

/** From the dashboard's sign-in page, through the provider's login form, back to the dashboard. */
async function ssoSignIn(page: Page, username: string, opts: { next?: string; start?: string } = {}): Promise<void> {
  if (opts.start) await page.goto(opts.start);
  else {
    await page.goto(opts.next ? `/login?next=${encodeURIComponent(opts.next)}` : "/login");
    await page.getByTestId("sso-start").click();
  }
  await expect(page).toHaveURL(new RegExp(`^${PROVIDER}/interaction/`));
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(oidcPassword(username));
  await page.getByRole("button", { name: "Sign in to Lab SSO" }).click();
  await page.waitForURL((u) => u.port === String(E2E_PORT) && !u.pathname.startsWith("/api/"));
}

async function sessionOf(ctx: BrowserContext): Promise<{ role: string; username: string | null; email: string } | null> {
  const res = await ctx.request.get(`${BASE_URL}/api/auth/get-session`);
  const body = (await res.json()) as { user?: { role: string; username: string | null; email: string } } | null;
  return body?.user ?? null;
}

async function adminContext(browser: Browser): Promise<BrowserContext> {
  const ctx = await browser.newContext({ baseURL: BASE_URL, storageState: SIGNED_OUT });
  await signIn(ctx.request, "admin");
  return ctx;
}

type AuditRow = { event: string; actorName: string; actorRole: string; targetId: string | null; detail: string | null; reason: string | null; at: number };
async function auditSince(admin: BrowserContext, since: number): Promise<AuditRow[]> {
  const input = encodeURIComponent(JSON.stringify({ json: { since, limit: 500 } }));
  const res = await admin.request.get(`${BASE_URL}/api/trpc/actions.audit?input=${input}`);
  expect(res.status()).toBe(200);
  return (await res.json()).result.data.json as AuditRow[];
}

test.describe("single sign-on", () => {
  test.afterEach(() => {
    for (const u of OIDC_USERS) setOidcGroups(u.username, defaultGroups(u.username));
  });

  test("signs in through the provider's login page, keeps `next`, and the group gives the role", async ({ page, context, browser }) => {
    const t0 = Date.now() - 1000;
    await ssoSignIn(page, "olga", { next: "/audit" });
    await expect(page).toHaveURL(`${BASE_URL}/audit`);
    expect(await sessionOf(context)).toMatchObject({ role: "approver", username: "olga", email: "olga@sso.lab.test" });
    await ssoSignIn(page, "victor", { start: "/api/sso/start?reauth=1" });
    expect(await sessionOf(context)).toMatchObject({ role: "viewer", username: "victor" });
    const admin = await adminContext(browser);
    const rows = await auditSince(admin, t0);
    // Olga arrives a viewer (new, or left so by the next test) and is mapped up, by the provider; victor's
    // mapping (viewer) changes nothing and writes nothing.
    const mapped = rows.filter((r) => r.event === "role_mapped");
    expect(mapped.map((r) => [r.targetId, r.actorName, r.actorRole, r.detail])).toEqual([["olga", "Lab SSO", "oidc", "olga: role viewer -> approver (group noc-approvers)"]]);
    await admin.close();
  });

  test("a group removed at the provider drops the role at the next sign-in, once an admin has ended the sessions", async ({ page, context, browser }) => {
    await ssoSignIn(page, "olga");
    expect((await sessionOf(context))?.role).toBe("approver");
    const t0 = Date.now() - 1000;

    setOidcGroups("olga", ["noc-viewers"]);
    // Her session stands until an admin syncs; then it is gone.
    expect((await sessionOf(context))?.role).toBe("approver");
    const admin = await adminContext(browser);
    const sync = await trpcMutation(admin.request, "admin.users.ssoSync", { who: "olga" });
    expect(sync.status()).toBe(200);
    expect((await sync.json()).result.data.json).toMatchObject({ users: 1 });
    expect(await sessionOf(context)).toBeNull();

    // reauth=1 makes the provider ask for her password again although her session there is alive.
    await ssoSignIn(page, "olga", { start: "/api/sso/start?reauth=1" });
    expect((await sessionOf(context))?.role).toBe("viewer");

    const rows = await auditSince(admin, t0);
    expect(rows.find((r) => r.event === "oidc_sync")).toMatchObject({ actorName: "Ada Admin", targetId: "olga" });
    expect(rows.find((r) => r.event === "role_mapped" && r.targetId === "olga")).toMatchObject({
      actorName: "Lab SSO",
      actorRole: "oidc",
      detail: "olga: role approver -> viewer (group noc-viewers)",
    });
    await admin.close();
  });

  test("the Admin page's button ends the single sign-on sessions, with the reason in the audit log", async ({ page, context, browser }) => {
    // Victor (a viewer by his groups): the test before leaves olga a viewer, which the first test expects of a rerun.
    await ssoSignIn(page, "victor", { start: "/api/sso/start?reauth=1" });
    expect((await sessionOf(context))?.role).toBe("viewer");
    const t0 = Date.now() - 1000;
    const admin = await adminContext(browser);
    const adminPage = await admin.newPage();
    await adminPage.goto("/admin");
    await adminPage.getByTestId("sso-sync").getByRole("button", { name: "Re-map Lab SSO roles now" }).click();
    const dialog = adminPage.getByTestId("confirm-dialog");
    await dialog.getByLabel(/Reason/).fill("groups changed at the provider");
    await dialog.getByTestId("confirm-submit").click();
    await expect(adminPage.getByTestId("sso-sync").getByRole("status")).toHaveText(/^\d+ session\(s\) of \d+ single sign-on user\(s\) ended$/);
    expect(await sessionOf(context)).toBeNull();
    expect((await auditSince(admin, t0)).find((r) => r.event === "oidc_sync")).toMatchObject({
      actorName: "Ada Admin",
      targetId: "all single sign-on users",
      reason: "groups changed at the provider",
    });
    await admin.close();
  });

  test("someone in none of the mapped groups is refused with a plain reason, and it is audited", async ({ page, context, browser }) => {
    const t0 = Date.now() - 1000;
    setOidcGroups("victor", ["payroll"]);
    await ssoSignIn(page, "victor", { start: "/api/sso/start?reauth=1" });
    await expect(page).toHaveURL(/\/login\?sso=failed/);
    await expect(page.getByTestId("sso-failed")).toContainText("in none of the groups that give access to this dashboard");
    expect(await sessionOf(context)).toBeNull();
    const admin = await adminContext(browser);
    expect((await auditSince(admin, t0)).find((r) => r.event === "sso_refused")).toMatchObject({ targetId: "victor", actorName: "Lab SSO" });
    await admin.close();
  });

  test("the provider down: the sign-in page says so, and a local break-glass account still signs in", async ({ page, context }) => {
    await fault("stop", "oidc");
    try {
      await page.goto("/login");
      await expect(page.getByTestId("sso-unavailable")).toHaveText(
        "⚠ Single sign-on is unavailable: Lab SSO did not answer; break-glass accounts can still sign in below.",
      );
      await expect(page.getByTestId("sso-start")).toHaveCount(0);
      // Starting single sign-on directly comes back to the same message instead of a dead provider page.
      await page.goto("/api/sso/start?next=%2Faudit");
      await expect(page).toHaveURL(`${BASE_URL}/login?sso=unavailable&next=%2Faudit`);
      await expect(page.getByTestId("sso-unavailable")).toBeVisible();
      await signInWithForm(page, "approver", demoPassword("approver"));
      await expect(page).toHaveURL(`${BASE_URL}/audit`);
      expect((await sessionOf(context))?.role).toBe("approver");
    } finally {
      await fault("resume", "oidc");
    }
  });
});

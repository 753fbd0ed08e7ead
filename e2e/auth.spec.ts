import { randomBytes } from "node:crypto";
import { expect, test, type Browser } from "@playwright/test";
import { BASE_URL, signIn, signInWithForm, trpcMutation } from "./auth-helpers";
import { demoPassword } from "./lab/demo-users";

/**
 * People and sessions against `next start` and the lab's demo users (one per role, made from
 * .lab/ha.config.yaml's auth.users). Every other spec runs signed in as the demo viewer.
 */

const SIGNED_OUT = { cookies: [], origins: [] };

async function contextAs(browser: Browser, user: "admin" | "operator" | "approver" | "viewer" | null) {
  const ctx = await browser.newContext({ baseURL: BASE_URL, storageState: SIGNED_OUT });
  if (user) await signIn(ctx.request, user);
  return ctx;
}

test.describe("signed out", () => {
  test.use({ storageState: SIGNED_OUT });

  test("pages and the API need a sign-in; sign in, see name and role, sign out", async ({ page, request }, testInfo) => {
    await page.goto("/vrrp?from=test");
    await expect(page).toHaveURL(`${BASE_URL}/login?next=%2Fvrrp%3Ffrom%3Dtest`);
    // The API refuses reads too, with a plain reason.
    const api = await request.get("/api/trpc/overview.get");
    expect(api.status()).toBe(401);
    expect((await api.json()).error.json.message).toBe("Sign in to see this");
    // Liveness and metrics stay open for HAProxy and Prometheus.
    expect((await request.get("/api/healthz")).status()).toBeLessThan(500);
    expect((await request.get("/api/metrics")).status()).toBe(200);

    // Back to the page asked for, after sign-in.
    await signInWithForm(page, "viewer", demoPassword("viewer"));
    await expect(page).toHaveURL(`${BASE_URL}/vrrp?from=test`);
    await expect(page.getByTestId("user-name")).toHaveText("Vera Viewer");
    await expect(page.getByTestId("user-role")).toHaveText("viewer");
    await page.screenshot({ path: testInfo.outputPath("signed-in.png") });

    const cookie = (await page.context().cookies()).find((c) => c.name === "hacr.session_token");
    expect(cookie, "session cookie").toBeDefined();
    expect(cookie!.httpOnly).toBe(true);
    expect(cookie!.sameSite).toBe("Strict");
    expect(await page.evaluate(() => document.cookie)).not.toContain("hacr.session_token");

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login$/);
    await page.goto("/clusters");
    await expect(page).toHaveURL(`${BASE_URL}/login?next=%2Fclusters`);
    // The old cookie is dead on the server, not only forgotten by the browser.
    const replay = await request.get("/api/trpc/overview.get", { headers: { cookie: `hacr.session_token=${cookie!.value}` } });
    expect(replay.status()).toBe(401);
  });

  test("a wrong password says so and signs nobody in", async ({ page }) => {
    await page.goto("/login");
    await signInWithForm(page, "viewer", "not-the-password");
    await expect(page.getByTestId("login-error")).toHaveText(/Wrong user name or password\./);
    await expect(page).toHaveURL(/\/login$/);
    expect((await page.context().cookies()).some((c) => c.name === "hacr.session_token")).toBe(false);
    // The failure counted against the account is cleared by the next good sign-in.
    await signInWithForm(page, "viewer", demoPassword("viewer"));
    await expect(page.getByTestId("user-role")).toHaveText("viewer");
  });

  test("sign-in is refused after repeated failures on one account", async ({ page }, testInfo) => {
    // A fresh name each run: the failure windows live in the store and outlast a test run.
    const who = `nobody-${randomBytes(4).toString("hex")}`;
    await page.goto("/login");
    const attempt = async (password: string) => {
      const answer = page.waitForResponse((r) => r.url().endsWith("/api/auth/sign-in/username"));
      await signInWithForm(page, who, password);
      return (await answer).status();
    };
    for (let i = 1; i <= 5; i++) {
      expect(await attempt(`wrong-password-${i}`), `attempt ${i}`).toBe(401);
      await expect(page.getByTestId("login-error")).toHaveText(/Wrong user name or password\./);
    }
    expect(await attempt("wrong-password-6")).toBe(429);
    await expect(page.getByTestId("login-error")).toHaveText(/Too many failed sign-ins; try again in \d+ s/);
    await page.screenshot({ path: testInfo.outputPath("rate-limited.png") });
    // Over the API too, with Retry-After.
    const res = await page.request.post("/api/auth/sign-in/username", { headers: { origin: BASE_URL }, data: { username: who, password: "x-wrong-pass" } });
    expect(res.status()).toBe(429);
    expect(Number(res.headers()["retry-after"])).toBeGreaterThan(0);
  });
});

test("a viewer sees no admin things and the API refuses an admin mutation", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByTestId("user-role")).toHaveText("viewer");
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" })).toHaveCount(0);
  await page.goto("/admin");
  await expect(page.getByTestId("admin-refused")).toBeVisible();
  await expect(page.getByTestId("admin-kiosk-tokens")).toHaveCount(0);

  const res = await trpcMutation(page.request, "admin.kiosk.create", { label: "viewer tries" });
  expect(res.status()).toBe(403);
  expect((await res.json()).error.json.message).toBe("This needs the admin role; you are viewer");
  const read = await page.request.get("/api/trpc/admin.kiosk.list");
  expect(read.status()).toBe(403);
});

test("a mutation without the same-origin proof is refused, even for an admin", async ({ browser }) => {
  const admin = await contextAs(browser, "admin");
  try {
    const label = `csrf-${randomBytes(3).toString("hex")}`;
    const none = await trpcMutation(admin.request, "admin.kiosk.create", { label }, {});
    expect(none.status()).toBe(403);
    expect((await none.json()).error.json.message).toMatch(/did not come from this dashboard's pages/);
    const foreign = await trpcMutation(admin.request, "admin.kiosk.create", { label }, { origin: "http://evil.example" });
    expect(foreign.status()).toBe(403);
    const crossSite = await trpcMutation(admin.request, "admin.kiosk.create", { label }, { "sec-fetch-site": "cross-site", origin: BASE_URL });
    expect(crossSite.status()).toBe(403);
    // Nothing was made by the refused calls.
    const list = await admin.request.get("/api/trpc/admin.kiosk.list");
    expect(JSON.stringify(await list.json())).not.toContain(label);

    // The same call with the proof works (and is undone).
    const ok = await trpcMutation(admin.request, "admin.kiosk.create", { label });
    expect(ok.status()).toBe(200);
    const id = (await ok.json()).result.data.json.token.id as string;
    expect((await trpcMutation(admin.request, "admin.kiosk.revoke", { id })).status()).toBe(200);
  } finally {
    await admin.close();
  }
});

test("a kiosk token opens the wall, leaves the address bar, can never act, and stops at revocation", async ({ browser }, testInfo) => {
  const admin = await contextAs(browser, "admin");
  const kiosk = await contextAs(browser, null);
  try {
    // The admin makes a token on the Admin page.
    const adminPage = await admin.newPage();
    await adminPage.goto("/admin");
    await expect(adminPage.getByTestId("user-role")).toHaveText("admin");
    const label = `Wall e2e ${randomBytes(3).toString("hex")}`;
    await adminPage.getByLabel("Screen label").fill(label);
    await adminPage.getByRole("button", { name: "Create token" }).click();
    const url = (await adminPage.getByTestId("kiosk-made").locator("p.font-mono").textContent())!.trim();
    expect(url).toMatch(/\/wall\?kiosk=hacrk_[A-Za-z0-9_-]{43}$/);
    const token = new URL(url).searchParams.get("kiosk")!;

    // The screen opens the link; the token becomes an httpOnly cookie and leaves the URL.
    const wall = await kiosk.newPage();
    await wall.goto(url);
    await expect(wall).toHaveURL(`${BASE_URL}/wall`);
    await expect(wall.getByTestId("wall-data-age")).toHaveAttribute("data-state", "fresh", { timeout: 20_000 });
    const kc = (await kiosk.cookies()).find((c) => c.name === "hacr.kiosk");
    expect(kc?.httpOnly).toBe(true);
    expect(kc?.sameSite).toBe("Strict");
    await wall.screenshot({ path: testInfo.outputPath("kiosk-wall.png") });

    // It reads, but never acts, whatever the mutation.
    expect((await kiosk.request.get("/api/trpc/overview.get")).status()).toBe(200);
    for (const [proc, input] of [
      ["admin.kiosk.create", { label: "kiosk tries" }],
      ["admin.kiosk.revoke", { id: "k_000000000000" }],
    ] as const) {
      const res = await trpcMutation(kiosk.request, proc, input);
      expect(res.status(), proc).toBe(403);
    }
    // The console is not for kiosks: it goes back to the wall.
    await wall.goto("/clusters");
    await expect(wall).toHaveURL(`${BASE_URL}/wall`);

    // Revoked: the next request has no access.
    await adminPage.reload();
    await adminPage.getByTestId("admin-kiosk-tokens").getByRole("row").filter({ hasText: label }).getByRole("button", { name: "Revoke" }).click();
    await expect(adminPage.getByTestId("admin-kiosk-tokens").getByRole("row").filter({ hasText: label })).toContainText("revoked");
    expect((await kiosk.request.get("/api/trpc/overview.get")).status()).toBe(401);
    // The open wall says so in plain words (its feed is refused at the next re-check, within 30 s), rather than a sign-in form.
    await expect(wall.getByTestId("kiosk-revoked")).toContainText("Kiosk token revoked or expired", { timeout: 45_000 });
    await expect(wall).toHaveURL(`${BASE_URL}/wall`);
    await wall.screenshot({ path: testInfo.outputPath("kiosk-revoked.png") });
    await wall.goto("/wall");
    await expect(wall).toHaveURL(/\/login\?next=/);
    // A revoked or made-up token in the link is refused without echoing it.
    await wall.goto(`/wall?kiosk=${token}`);
    await expect(wall).toHaveURL(`${BASE_URL}/login?error=kiosk`);
    await expect(wall.getByTestId("kiosk-refused")).toBeVisible();
  } finally {
    await kiosk.close();
    await admin.close();
  }
});

test("a page whose session ended elsewhere goes to sign-in on its next call", async ({ browser }) => {
  const admin = await contextAs(browser, "admin");
  try {
    const page = await admin.newPage();
    await page.goto("/admin");
    await expect(page.getByTestId("admin-users")).toContainText("admin");
    // Signed out from another tab: the session is gone on the server.
    expect((await admin.request.post("/api/auth/sign-out", { headers: { origin: BASE_URL }, data: {} })).status()).toBe(200);
    // The page's next call is refused, and the page moves to sign-in (and back here after it).
    await page.getByLabel("Screen label").fill("after sign-out");
    await page.getByRole("button", { name: "Create token" }).click();
    await expect(page).toHaveURL(`${BASE_URL}/login?next=%2Fadmin`);
  } finally {
    await admin.close();
  }
});

test("after sign-in, `next` only leads to a page of this site", async ({ page }) => {
  // Signed in already (the demo viewer), /login goes straight to `next`: no password needed to test it.
  await page.goto("/login?next=%2Fredis");
  await expect(page).toHaveURL(`${BASE_URL}/redis`);
  for (const next of ["https://evil.test/", "//evil.test/", "/\\evil.test/", "/\t/evil.test", "javascript:alert(1)", "/.//evil.test/x", "/%2e//evil.test"]) {
    await page.goto(`/login?next=${encodeURIComponent(next)}`);
    await expect(page, next).toHaveURL(`${BASE_URL}/`);
  }
  // The server's own answer, before any browser normalises it: never a protocol-relative Location.
  for (const query of ["next=%2F.%2F%2Fevil.test%2Fx", "next=%2F%252e%2F%2Fevil.test", "next=%2F..%2F%2Fevil.test"]) {
    const res = await page.request.get(`/login?${query}`, { maxRedirects: 0 });
    expect(res.status(), query).toBe(307);
    expect(res.headers().location, query).toBe("/");
  }
});

test.describe("signed out, with a crafted next", () => {
  test.use({ storageState: SIGNED_OUT });

  test("the sign-in form does not follow a next that normalises to another site", async ({ page }) => {
    await page.goto("/login?next=%2F.%2F%2Fevil.test%2Fx");
    await signInWithForm(page, "viewer", demoPassword("viewer"));
    await expect(page).toHaveURL(`${BASE_URL}/`);
    await expect(page.getByTestId("user-role")).toHaveText("viewer");
  });

  test("a console page answers a signed-out request with a redirect that holds nothing of the page", async ({ request }) => {
    for (const path of ["/clusters/labcluster", "/actions/1"]) {
      for (const cookie of [undefined, "hacr.session_token=made-up.value"]) {
        const res = await request.get(path, { maxRedirects: 0, headers: cookie ? { cookie } : {} });
        expect(res.status(), `${path} ${cookie ?? "no cookie"}`).toBe(307);
        expect(res.headers().location, path).toMatch(new RegExp(`/login\\?next=${encodeURIComponent(path).replace(/\./g, "\\.")}$`));
        const body = await res.text();
        expect(body, path).not.toContain("Trading database");
        expect(body, path).not.toContain("Action #1");
        expect(body, path).not.toContain("labcluster ·");
      }
    }
  });
});

test("a forged X-Forwarded-For never reaches the audit log: the socket's address is recorded", async ({ browser }) => {
  const approver = await contextAs(browser, "approver");
  const admin = await contextAs(browser, "admin");
  try {
    // An approval of an action that does not exist is refused and audited, with the approver's address.
    const forged = "203.0.113.66";
    const res = await trpcMutation(approver.request, "actions.approve", { id: 999_999_999, password: "whatever-password" }, { origin: BASE_URL, "x-forwarded-for": forged, "x-real-ip": forged });
    expect(res.status()).toBe(404);
    const input = encodeURIComponent(JSON.stringify({ json: { limit: 200 } }));
    const rows = (await (await admin.request.get(`/api/trpc/actions.audit?input=${input}`)).json()).result.data.json as { actorName: string; actorIp: string | null; detail: string | null }[];
    const row = rows.find((r) => r.detail === "approval refused: no action #999999999");
    expect(row, "the refusal's audit row").toBeDefined();
    expect(row!.actorIp).toBe("127.0.0.1");
    expect(JSON.stringify(rows)).not.toContain(forged);
  } finally {
    await admin.close();
    await approver.close();
  }
});

test("sign-in and get-session answers carry no session token", async ({ browser }) => {
  const ctx = await browser.newContext({ baseURL: BASE_URL, storageState: SIGNED_OUT });
  try {
    const res = await ctx.request.post("/api/auth/sign-in/username", { headers: { origin: BASE_URL }, data: { username: "viewer", password: demoPassword("viewer") } });
    expect(res.status()).toBe(200);
    const cookie = (await ctx.cookies()).find((c) => c.name === "hacr.session_token")!;
    const token = decodeURIComponent(cookie.value).split(".")[0]!;
    const signedIn = await res.text();
    expect(JSON.parse(signedIn)).not.toHaveProperty("token");
    expect(signedIn).not.toContain(token);
    const session = await (await ctx.request.get("/api/auth/get-session")).text();
    expect(JSON.parse(session).user.username).toBe("viewer");
    expect(session).not.toContain(token);
  } finally {
    await ctx.close();
  }
});

test("a live page whose session ended goes to sign-in from its feed, and back after it", async ({ browser }) => {
  const ctx = await contextAs(browser, "viewer");
  try {
    const page = await ctx.newPage();
    await page.goto("/redis");
    await expect(page.getByTestId("user-role")).toHaveText("viewer");
    // Ended on the server (signed out in another tab); the page itself does nothing but listen.
    expect((await ctx.request.post("/api/auth/sign-out", { headers: { origin: BASE_URL }, data: {} })).status()).toBe(200);
    // The feed is refused at its next re-check (within 30 s): sign-in, not an error on the page.
    await expect(page).toHaveURL(`${BASE_URL}/login?next=%2Fredis`, { timeout: 45_000 });
    await signInWithForm(page, "viewer", demoPassword("viewer"));
    await expect(page).toHaveURL(`${BASE_URL}/redis`);
    await expect(page.getByTestId("user-role")).toHaveText("viewer");
  } finally {
    await ctx.close();
  }
});

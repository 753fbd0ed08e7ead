import { randomBytes } from "node:crypto";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { BASE_URL, signIn, signInWithForm } from "./auth-helpers";

/**
 * User administration in the browser, as the lab's demo admin, with the person administered in a
 * second browser: a new account's one-time password, the forced change, role, disable/enable, end
 * sessions, reset password, and the audit rows each one leaves.
 */

const SIGNED_OUT = { cookies: [], origins: [] };

async function newContext(browser: Browser) {
  return browser.newContext({ baseURL: BASE_URL, storageState: SIGNED_OUT });
}

async function confirm(admin: Page, reason?: string) {
  const dialog = admin.getByTestId("confirm-dialog");
  await expect(dialog).toBeVisible();
  if (reason) await dialog.getByLabel(/Reason/).fill(reason);
  await dialog.getByTestId("confirm-submit").click();
  await expect(dialog).toBeHidden();
}

test("an admin creates a user, who must change the one-time password; role, disable, enable, end sessions and reset, all audited", async ({ browser }, testInfo) => {
  test.setTimeout(180_000);
  // The e2e store outlives a run: a new name each time.
  const username = `e2e-${randomBytes(3).toString("hex")}`;
  const ownPassword = `own-${randomBytes(8).toString("hex")}`;

  const adminCtx = await newContext(browser);
  await signIn(adminCtx.request, "admin");
  const admin = await adminCtx.newPage();
  await admin.goto("/admin");
  const row = admin.getByTestId("user-row").and(admin.locator(`[data-username="${username}"]`));

  // Create: the one-time password is shown once.
  const form = admin.getByTestId("user-create");
  await form.getByLabel("User name").fill(username);
  await form.getByLabel(/Full name/).fill("Erin Example");
  await form.getByLabel("Role").selectOption("operator");
  await form.getByRole("button", { name: "Create user" }).click();
  const otp = (await admin.getByTestId("one-time-password-value").textContent())!.trim();
  expect(otp).toMatch(/^[a-zA-Z0-9]{6}(-[a-zA-Z0-9]{6}){3}$/);
  await expect(row.getByTestId("user-state")).toContainText("one-time password not yet changed");
  await admin.screenshot({ path: testInfo.outputPath("one-time-password.png"), fullPage: true });
  await admin.reload();
  await expect(row).toBeVisible();
  await expect(admin.getByTestId("one-time-password")).toHaveCount(0);
  expect(await admin.content()).not.toContain(otp);

  // The person signs in with it in their own browser and is held at the change-password page.
  const userCtx = await newContext(browser);
  const user = await userCtx.newPage();
  await user.goto("/clusters");
  await signInWithForm(user, username, otp);
  await expect(user).toHaveURL(`${BASE_URL}/change-password?next=%2Fclusters`);
  await expect(user.getByTestId("password-change-due")).toBeVisible();
  await user.goto("/admin");
  await expect(user).toHaveURL(/\/change-password\?next=%2Fadmin$/);
  const api = await userCtx.request.get("/api/trpc/overview.get");
  expect(api.status()).toBe(401);
  await user.getByLabel("Current password").fill(otp);
  await user.getByLabel(/^New password \(/).fill(ownPassword);
  await user.getByLabel("New password again").fill(ownPassword);
  await user.getByRole("button", { name: "Change password" }).click();
  await expect(user).toHaveURL(`${BASE_URL}/admin`);
  await expect(user.getByTestId("user-name")).toHaveText("Erin Example");
  await expect(user.getByTestId("user-role")).toHaveText("operator");
  await expect(user.getByTestId("admin-refused")).toBeVisible();
  await admin.reload();
  await expect(row.getByTestId("user-state")).toHaveText("active");

  // Role: their session ends; signed in again they have the new role.
  await row.getByTestId("user-role-select").selectOption("approver");
  await confirm(admin, "covers approvals this week");
  await expect(row.getByTestId("user-role-select")).toHaveValue("approver");
  await user.goto("/");
  await expect(user).toHaveURL(/\/login$/);
  await signInWithForm(user, username, ownPassword);
  await expect(user.getByTestId("user-role")).toHaveText("approver");

  // Disable: the open session ends at once and sign-in is refused.
  await row.getByRole("button", { name: "Disable" }).click();
  await confirm(admin, "left the team");
  await expect(row.getByTestId("user-state")).toContainText("disabled");
  await user.goto("/");
  await expect(user).toHaveURL(/\/login$/);
  await signInWithForm(user, username, ownPassword);
  await expect(user.getByTestId("login-error")).toHaveText(/This account is disabled; ask an admin/);

  // Enable: they may sign in again.
  await row.getByRole("button", { name: "Enable" }).click();
  await confirm(admin);
  await expect(row.getByTestId("user-state")).toHaveText("active");
  await signInWithForm(user, username, ownPassword);
  await expect(user.getByTestId("user-name")).toHaveText("Erin Example");

  // End sessions: signed out everywhere.
  await row.getByRole("button", { name: "End sessions" }).click();
  await confirm(admin, "laptop left unlocked");
  // The user's live page may already be leaving for sign-in by itself (its feed saw the session end):
  // a reload racing that navigation is aborted, and the URL check below still decides.
  await user.reload().catch((e: Error) => {
    if (!/ERR_ABORTED|frame was detached/.test(e.message)) throw e;
  });
  await expect(user).toHaveURL(/\/login$/);

  // Reset password: a new one-time password, shown once; the old password no longer works.
  await row.getByRole("button", { name: "Reset password" }).click();
  await confirm(admin);
  const otp2 = (await admin.getByTestId("one-time-password-value").textContent())!.trim();
  expect(otp2).not.toBe(otp);
  await signInWithForm(user, username, ownPassword);
  await expect(user.getByTestId("login-error")).toHaveText(/Wrong user name or password/);
  await signInWithForm(user, username, otp2);
  await expect(user).toHaveURL(/\/change-password/);

  // The audit log on the Admin page: one row per change, by the demo admin, with the reasons; and the
  // user's own change of the one-time password, by them.
  await admin.getByRole("button", { name: "Done, hide it" }).click();
  const audit = admin.getByTestId("audit-row").filter({ hasText: username });
  await expect(audit).toHaveCount(7);
  const events = await audit.evaluateAll((rows) => rows.map((r) => r.getAttribute("data-event")).reverse());
  expect(events).toEqual(["user_create", "password_change", "role_change", "user_disable", "user_enable", "sessions_end", "password_reset"]);
  const byAdmin = audit.and(admin.locator(':not([data-event="password_change"])'));
  for (const r of await byAdmin.all()) await expect(r).toContainText("Ada Admin");
  await expect(audit.and(admin.locator('[data-event="password_change"]'))).toContainText("Erin Example");
  await expect(audit.filter({ hasText: "left the team" })).toHaveAttribute("data-event", "user_disable");
  await expect(audit.filter({ hasText: "covers approvals this week" })).toHaveAttribute("data-event", "role_change");
  expect(await admin.getByTestId("audit-log").textContent()).not.toContain(otp2);
  await admin.screenshot({ path: testInfo.outputPath("admin-audit.png"), fullPage: true });

  // An admin's own row offers no account actions (another admin must).
  const own = admin.getByTestId("user-row").and(admin.locator('[data-username="admin"]'));
  await expect(own.getByRole("button")).toHaveCount(0);
  await expect(own.getByTestId("user-role-select")).toHaveCount(0);

  await userCtx.close();
  await adminCtx.close();
});

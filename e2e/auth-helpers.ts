import path from "node:path";
import type { APIRequestContext, Page } from "@playwright/test";
import { demoPassword } from "./lab/demo-users";

export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
export const BASE_URL = `http://127.0.0.1:${E2E_PORT}`;
/** Where global-setup.ts keeps the demo viewer's cookies; every spec starts signed in as the viewer. */
export const VIEWER_STATE = path.resolve(process.env.E2E_VIEWER_STATE ?? path.join(".data", `e2e-auth-${E2E_PORT}`, "viewer.json"));

export type DemoUser = "viewer" | "operator" | "approver" | "admin";

/**
 * Signs the request context (and the browser context it belongs to) in as a lab demo user, the
 * way the login page does: a POST to better-auth with the dashboard's own Origin.
 */
export async function signIn(request: APIRequestContext, user: DemoUser, baseURL = BASE_URL): Promise<void> {
  const res = await request.post(`${baseURL}/api/auth/sign-in/username`, {
    headers: { origin: baseURL, "content-type": "application/json" },
    data: { username: user, password: demoPassword(user) },
  });
  if (!res.ok()) throw new Error(`sign-in as ${user} at ${baseURL}: HTTP ${res.status()} ${await res.text()}`);
}

/** Signs in through the login page's form. */
export async function signInWithForm(page: Page, login: string, password: string): Promise<void> {
  await page.getByLabel("User name or email").fill(login);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** A tRPC mutation over HTTP as the browser would send it (superjson body), with chosen headers. */
export function trpcMutation(request: APIRequestContext, procedure: string, input: unknown, headers: Record<string, string> = { origin: BASE_URL }) {
  return request.post(`${BASE_URL}/api/trpc/${procedure}`, {
    headers: { "content-type": "application/json", ...headers },
    data: JSON.stringify({ json: input }),
  });
}

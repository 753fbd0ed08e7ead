import { mkdirSync } from "node:fs";
import path from "node:path";
import { request } from "@playwright/test";
import { BASE_URL, VIEWER_STATE, signIn } from "./auth-helpers";

/** Signs in once as the lab's demo viewer; playwright.config.ts gives every spec these cookies. */
export default async function globalSetup(): Promise<void> {
  const ctx = await request.newContext({ baseURL: BASE_URL });
  try {
    await signIn(ctx, "viewer");
    mkdirSync(path.dirname(VIEWER_STATE), { recursive: true });
    await ctx.storageState({ path: VIEWER_STATE });
  } finally {
    await ctx.dispose();
  }
}

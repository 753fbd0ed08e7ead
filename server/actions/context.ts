import "server-only";
import { randomUUID } from "node:crypto";
import { getAuthRuntime } from "@/server/auth";
import type { Config } from "@/server/config/load";
import type { Store } from "@/server/store";
import type { ActionActor, ActionDeps } from "./types";

/** The process's id when no poller runs (tests, a page-only instance). */
const fallbackInstance = (globalThis as unknown as { __hacrActionsInstance?: string }).__hacrActionsInstance ??= randomUUID();

export interface RequestContext {
  headers: Headers;
  /** The caller (a kiosk token only reads, so it gets no password check). */
  actor: { kind: "user"; id: string } | { kind: "kiosk" };
  now: () => number;
  getConfig: () => Config;
  getStore: () => Promise<Store>;
  getRuntime: () => { instanceId: string } | undefined;
}

/**
 * The workflow's dependencies for one API call. Password re-entry at approval is checked by
 * better-auth against the signed-in session (its /verify-password), so it is always the caller's own.
 */
export async function actionDeps(ctx: RequestContext): Promise<ActionDeps> {
  const actor = ctx.actor;
  return {
    store: await ctx.getStore(),
    config: ctx.getConfig(),
    now: ctx.now,
    instanceId: ctx.getRuntime()?.instanceId ?? fallbackInstance,
    verifyPassword: async (userId, password) => {
      if (actor.kind !== "user" || userId !== actor.id) return false;
      try {
        const rt = await getAuthRuntime();
        await rt.auth.api.verifyPassword({ body: { password }, headers: ctx.headers });
        return true;
      } catch {
        return false;
      }
    },
  };
}

export function actionActor(ctx: { actor: { id: string; name: string; role: string }; ip: string | null }): ActionActor {
  return { id: ctx.actor.id, name: ctx.actor.name, role: ctx.actor.role, ip: ctx.ip };
}

import "server-only";
import { randomUUID } from "node:crypto";
import { getAuthRuntime } from "@/server/auth";
import { proveApprover } from "@/server/auth/reauth";
import { localPasswordHash } from "@/server/store/auth";
import type { Config } from "@/server/config/load";
import type { Store } from "@/server/store";
import type { ActionActor, ActionDeps } from "./types";

/** The process's id when no poller runs (tests, a page-only instance). */
const fallbackInstance = (globalThis as unknown as { __hacrActionsInstance?: string }).__hacrActionsInstance ??= randomUUID();

export interface RequestContext {
  headers: Headers;
  /** The caller (a kiosk token only reads, so it gets no password check). */
  actor: { kind: "user"; id: string } | { kind: "kiosk" };
  /** The caller's session (when it began proves a fresh sign-in). */
  session: { id: string; createdAt: number } | null;
  now: () => number;
  getConfig: () => Config;
  getStore: () => Promise<Store>;
  getRuntime: () => { instanceId: string } | undefined;
}

/**
 * The workflow's dependencies for one API call. The approver's proof is checked for the caller
 * only (never another user id), against the account's failure limit.
 */
export async function actionDeps(ctx: RequestContext): Promise<ActionDeps> {
  const actor = ctx.actor;
  return {
    store: await ctx.getStore(),
    config: ctx.getConfig(),
    now: ctx.now,
    instanceId: ctx.getRuntime()?.instanceId ?? fallbackInstance,
    proveApprover: async (userId, password) => {
      if (actor.kind !== "user" || userId !== actor.id) return { ok: false, code: "FORBIDDEN", why: "only the signed-in approver can prove who they are" };
      const rt = await getAuthRuntime();
      const reauthWindowMs = rt.config.auth.reauthWindowMinutes * 60_000;
      return proveApprover({ auth: rt.auth, store: rt.store, limit: rt.limit, now: ctx.now(), reauthWindowMs }, { userId, session: ctx.session }, password);
    },
  };
}

/** How this caller proves who they are at approval (the dialog asks for it): their password, or a sign-in until `until`. */
export type ApprovalProofKind = { by: "password" } | { by: "fresh sign-in"; until: number | null; windowMinutes: number };

export async function approvalProofKind(ctx: Pick<RequestContext, "actor" | "session">): Promise<ApprovalProofKind> {
  const rt = await getAuthRuntime();
  if (ctx.actor.kind === "user" && (await localPasswordHash(rt.store, ctx.actor.id))) return { by: "password" };
  const windowMinutes = rt.config.auth.reauthWindowMinutes;
  return { by: "fresh sign-in", until: ctx.session ? ctx.session.createdAt + windowMinutes * 60_000 : null, windowMinutes };
}

export function actionActor(ctx: { actor: { id: string; name: string; role: string }; ip: string | null }): ActionActor {
  return { id: ctx.actor.id, name: ctx.actor.name, role: ctx.actor.role, ip: ctx.ip };
}

import "server-only";
import { randomBytes } from "node:crypto";
import type { Actor, Viewer } from "@/lib/roles";
import { getConfig } from "@/server/config";
import type { Config } from "@/server/config/load";
import { getStore } from "@/server/store";
import { settingOrCreate } from "@/server/store/auth";
import type { Store } from "@/server/store/store";
import { createAuth, type Auth } from "./auth";
import { clientIp, isSameOriginRequest, sessionPolicyOf, type SessionPolicy } from "./policy";
import { actorStillValid, resolveActor } from "./session";
import { ensureUser } from "./users";

export { COOKIE_PREFIX } from "./auth";
export { KIOSK_COOKIE } from "./kiosk";

export interface AuthRuntime {
  auth: Auth;
  store: Store;
  policy: SessionPolicy;
  config: Config;
}

/** One better-auth instance per process (on globalThis, so `next dev` reloads keep it). */
const g = globalThis as unknown as { __haAuth?: Promise<AuthRuntime> };

/** The process's auth, opened on first use: the cookie key from the config or the store, the seed users brought up to date. */
export function getAuthRuntime(): Promise<AuthRuntime> {
  g.__haAuth ??= open().catch((e: unknown) => {
    g.__haAuth = undefined;
    throw e;
  });
  return g.__haAuth;
}

async function open(): Promise<AuthRuntime> {
  const config = getConfig();
  const store = await getStore();
  const settings = config.auth;
  const secret = settings.secret?.reveal() || (await settingOrCreate(store, "session-secret", () => randomBytes(32).toString("base64url")));
  const auth = createAuth({ store, settings, secret, oidc: settings.oidc, localAccounts: settings.localAccounts });
  for (const u of settings.users) {
    const did = await ensureUser(auth, store, { username: u.username, name: u.name, role: u.role, password: u.password.reveal() }, Date.now());
    if (did !== "unchanged") console.log(`[auth] seed user ${u.username} (${u.role}): ${did}`);
  }
  return { auth, store, policy: sessionPolicyOf(settings), config };
}

export interface ResolvedRequest {
  actor: Actor | null;
  /** What the browser may be told about the actor. */
  viewer: Viewer | null;
  ip: string | null;
  sameOrigin: boolean;
  stillValid: () => Promise<boolean>;
}

/** Everything the tRPC context and the pages need to know about who is asking. */
export async function resolveRequest(headers: Headers): Promise<ResolvedRequest> {
  const rt = await getAuthRuntime();
  const trusted = [...rt.config.auth.trustedOrigins, ...(rt.config.auth.baseURL ? [rt.config.auth.baseURL] : [])];
  const ip = clientIp(headers);
  const sameOrigin = isSameOriginRequest(headers, trusted);
  const r = await resolveActor(rt, headers, Date.now());
  if (!r) return { actor: null, viewer: null, ip, sameOrigin, stillValid: async () => false };
  const viewer: Viewer =
    r.actor.kind === "kiosk" ? { kind: "kiosk", label: (r as { label: string }).label } : { kind: "user", name: r.actor.name, username: (r as { username: string | null }).username, role: r.actor.role };
  return { actor: r.actor, viewer, ip, sameOrigin, stillValid: () => actorStillValid(rt, r, Date.now()) };
}

/** For server components (layouts, pages): who is asking, from the request's cookies. */
export async function viewerOf(headers: Headers): Promise<Pick<ResolvedRequest, "actor" | "viewer">> {
  const r = await resolveRequest(headers);
  return { actor: r.actor, viewer: r.viewer };
}

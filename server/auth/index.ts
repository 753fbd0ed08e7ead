import "server-only";
import { randomBytes } from "node:crypto";
import type { Actor, Viewer } from "@/lib/roles";
import { getConfig } from "@/server/config";
import type { Config } from "@/server/config/load";
import { getStore } from "@/server/store";
import { settingOrCreate } from "@/server/store/auth";
import type { Store } from "@/server/store/store";
import { createAuth, type Auth } from "./auth";
import { clientAddress, ProxyList } from "./client-address";
import { isSameOriginRequest, loginLimitOf, sessionPolicyOf, type LoginLimit, type SessionPolicy } from "./policy";
import { actorStillValid, resolveActor } from "./session";
import { ensureUser } from "./users";

export { COOKIE_PREFIX } from "./auth";
export { KIOSK_COOKIE } from "./kiosk";

export interface AuthRuntime {
  auth: Auth;
  store: Store;
  policy: SessionPolicy;
  /** The sign-in limits, which every other password check counts against too. */
  limit: LoginLimit;
  proxies: ProxyList;
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
  return { auth, store, policy: sessionPolicyOf(settings), limit: loginLimitOf(settings.loginRateLimit), proxies: new ProxyList(settings.trustedProxies), config };
}

export interface ResolvedRequest {
  actor: Actor | null;
  /** What the browser may be told about the actor. */
  viewer: Viewer | null;
  /** The client's address (client-address.ts): from the socket, or a trusted proxy's headers; null when unknown. */
  ip: string | null;
  /** The user's session: its id and when it began (a fresh sign-in proves the approver of a single sign-on account). */
  session: { id: string; createdAt: number } | null;
  sameOrigin: boolean;
  /**
   * Signed in with a one-time password not yet changed: no actor (every page and procedure refuses),
   * only the change-password page, which needs the name.
   */
  passwordChangeDue: { name: string; username: string | null } | null;
  stillValid: () => Promise<boolean>;
}

/** Everything the tRPC context and the pages need to know about who is asking. */
export async function resolveRequest(headers: Headers): Promise<ResolvedRequest> {
  const rt = await getAuthRuntime();
  const trusted = [...rt.config.auth.trustedOrigins, ...(rt.config.auth.baseURL ? [rt.config.auth.baseURL] : [])];
  const { ip } = clientAddress(headers, rt.proxies);
  const sameOrigin = isSameOriginRequest(headers, trusted);
  const r = await resolveActor(rt, headers, Date.now());
  if (!r) return { actor: null, viewer: null, ip, session: null, sameOrigin, passwordChangeDue: null, stillValid: async () => false };
  if (r.actor.kind === "user" && (r as { mustChangePassword: boolean }).mustChangePassword) {
    const due = { name: r.actor.name, username: (r as { username: string | null }).username };
    return { actor: null, viewer: null, ip, session: null, sameOrigin, passwordChangeDue: due, stillValid: async () => false };
  }
  const viewer: Viewer =
    r.actor.kind === "kiosk" ? { kind: "kiosk", label: (r as { label: string }).label } : { kind: "user", name: r.actor.name, username: (r as { username: string | null }).username, role: r.actor.role };
  const session = "sessionId" in r ? { id: r.sessionId, createdAt: r.sessionCreatedAt } : null;
  return { actor: r.actor, viewer, ip, session, sameOrigin, passwordChangeDue: null, stillValid: () => actorStillValid(rt, r, Date.now()) };
}

/** For server components (layouts, pages): who is asking, from the request's cookies. */
export async function viewerOf(headers: Headers): Promise<Pick<ResolvedRequest, "actor" | "viewer" | "passwordChangeDue">> {
  const r = await resolveRequest(headers);
  return { actor: r.actor, viewer: r.viewer, passwordChangeDue: r.passwordChangeDue };
}

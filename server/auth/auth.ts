/**
 * The better-auth instance over the control store. better-auth owns passwords (scrypt), the signed
 * session cookie and the sign-in endpoints (/api/auth/*); we add the role, the idle timeout
 * (server/auth/session.ts), sign-in limits kept in the store, no session for a disabled account, and
 * the end of a one-time password once its owner changed it (the hooks below).
 * No "server-only": the admin command (scripts/admin.ts) runs it under tsx.
 */
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { genericOAuth } from "better-auth/plugins/generic-oauth";
import { username } from "better-auth/plugins/username";
import type { LocalAccounts } from "../config/oidc";
import type { AuthSettings } from "../config/schema";
import { AppError } from "../errors";
import { clearLoginFailures, clearMustChangePassword, findUserById, findUserByLogin, findUserByUsername, loginFailures, recordLoginFailure, type UserRow } from "../store/auth";
import { authAccounts, authSessions, authUsers, authVerifications } from "../store/schema-auth";
import { storeDb, type Store } from "../store/store";
import { USERNAME_RE } from "./username";
import { auditAdmin } from "./admin-audit";
import { CLIENT_ADDRESS_HEADER, clientAddress, clientProto, ProxyList } from "./client-address";
import { NO_MAPPED_GROUP, applySsoRole, ssoPluginConfig, SSO_PROVIDER_ID, type OidcConfig } from "./oidc";
import { accountKey, addressKey, loginLimitOf, ownOrigin, retryAfterMs, sessionPolicyOf, userKey } from "./policy";

/** Cookie names start with this: hacr.session_token (or __Secure-hacr.session_token over https). */
export const COOKIE_PREFIX = "hacr";
const SIGN_IN_PATHS = new Set(["/sign-in/username", "/sign-in/email"]);
const CHANGE_PASSWORD_PATH = "/change-password";
/**
 * better-auth endpoints not served over HTTP: no self sign-up or self-service account changes (an
 * admin manages accounts), no username probing, and no password check outside the limited sign-in.
 * Server code may still call them through auth.api. Served: sign-in, sign-out, get-session, change-password,
 * and single sign-on: /sign-in/social only starts the redirect to the configured provider (the hook
 * below refuses a client-submitted id_token and any other provider), and the callback /callback/:id.
 */
const DISABLED_PATHS = [
  "/sign-up/email",
  "/is-username-available",
  "/update-user",
  "/change-email",
  "/delete-user",
  "/delete-user/callback",
  "/request-password-reset",
  "/reset-password",
  "/send-verification-email",
  "/verify-email",
  "/verify-password",
  "/update-session",
  "/list-sessions",
  "/revoke-session",
  "/revoke-sessions",
  "/revoke-other-sessions",
  "/list-accounts",
  "/account-info",
  "/link-social",
  "/unlink-account",
  "/get-access-token",
  "/refresh-token",
];

export interface AuthDeps {
  store: Store;
  settings: Pick<AuthSettings, "idleTimeoutMinutes" | "absoluteTimeoutHours" | "baseURL" | "trustedOrigins" | "trustedProxies" | "loginRateLimit">;
  /** Single sign-on (auth.oidc, its secret resolved); unset: passwords only. */
  oidc?: OidcConfig;
  /** Who may sign in with a password (auth.localAccounts); unset: everyone. */
  localAccounts?: LocalAccounts;
  /** Signs the session cookie; at least 32 characters. */
  secret: string;
  /** The clock of the sign-in limits (tests move it). */
  now?: () => number;
}

export function createAuth({ store, settings, secret, oidc, localAccounts, now = Date.now }: AuthDeps) {
  const policy = sessionPolicyOf(settings);
  const limit = loginLimitOf(settings.loginRateLimit);
  const localOnly = localAccounts && localAccounts !== "all" ? new Set(localAccounts) : null;

  /** With `localAccounts: [names]`, whether this password sign-in names one of them (by user name, or by the email of one). */
  const localAllowed = (ctx: { path: string; body?: unknown }, user: UserRow | null): { ok: boolean; who: string } => {
    const body = (ctx.body ?? {}) as { username?: unknown; email?: unknown };
    if (ctx.path === "/sign-in/username") {
      const who = typeof body.username === "string" ? body.username.toLowerCase() : "";
      return { ok: !localOnly || localOnly.has(who), who };
    }
    const email = typeof body.email === "string" ? body.email.toLowerCase() : "";
    if (!localOnly) return { ok: true, who: email };
    return { ok: !!user?.username && localOnly.has(user.username), who: user?.username ?? email };
  };

  const proxies = new ProxyList(settings.trustedProxies);

  /**
   * The failure counters of a sign-in: the account (its user id when the name or email is known, so
   * both spellings share one counter with the password checks at approval), and the client address
   * that app/api/auth resolved. Without a known address there is no per-address counter: a shared
   * "unknown" one would let anyone lock everybody out.
   */
  const signInKeys = async (ctx: { body?: unknown; headers?: Headers; request?: Request }) => {
    const body = (ctx.body ?? {}) as { username?: unknown; email?: unknown };
    const who = typeof body.username === "string" ? body.username : typeof body.email === "string" ? body.email : "";
    const user = await findUserByLogin(store, who);
    const ip = (ctx.request?.headers ?? ctx.headers)?.get(CLIENT_ADDRESS_HEADER) ?? null;
    return { account: user ? userKey(user.id) : accountKey(who), address: ip ? addressKey(ip) : null, user };
  };

  return betterAuth({
    appName: "HA Control Room",
    baseURL: settings.baseURL,
    secret,
    // The dashboard's own origin (from the Host a browser sent) and the configured ones; CSRF on
    // /api/auth/* is better-auth's Origin check against this list.
    trustedOrigins: (request) => [
      ...settings.trustedOrigins,
      ...(request ? [ownOrigin(request.headers, clientProto(request.headers, clientAddress(request.headers, proxies)))] : []),
    ],
    telemetry: { enabled: false },
    disabledPaths: DISABLED_PATHS,
    database: drizzleAdapter(storeDb(store), {
      provider: "pg",
      schema: { user: authUsers, session: authSessions, account: authAccounts, verification: authVerifications },
    }),
    user: {
      additionalFields: {
        role: { type: "string", required: false, defaultValue: "viewer", input: false },
      },
    },
    session: {
      // The absolute limit; never extended. The idle limit is ours (last_seen_at, session.ts).
      expiresIn: Math.round(policy.absoluteMs / 1000),
      disableSessionRefresh: true,
      // Every request reads the store, so a revoked session ends at once.
      cookieCache: { enabled: false },
      additionalFields: {
        lastSeenAt: { type: "date", required: false, input: false, defaultValue: () => new Date() },
      },
    },
    // Accounts are made by `npm run admin` (or the config's seed users), never by signing up.
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 10, maxPasswordLength: 256 },
    plugins: [
      username({ minUsernameLength: 3, maxUsernameLength: 32, usernameValidator: (u) => USERNAME_RE.test(u) }),
      ...(oidc ? [genericOAuth({ config: [ssoPluginConfig(oidc)] })] : []),
    ],
    account: {
      // An SSO login whose email matches an existing account (a local break-glass admin, say) is
      // refused instead of joined to it: the provider must not be able to take over a local account.
      accountLinking: { enabled: false },
    },
    databaseHooks: {
      user: {
        create: {
          // The provider's preferred_username becomes the user name unless it is invalid or taken.
          before: async (user, ctx) => {
            if (!ctx || !ctx.path.startsWith("/callback/")) return;
            const name = (user as { username?: unknown }).username;
            if (typeof name !== "string" || !USERNAME_RE.test(name) || (await findUserByUsername(store, name))) {
              return { data: { ...user, username: null, displayUsername: null } };
            }
          },
        },
      },
      session: {
        create: {
          // Every single sign-on applies the provider's groups again, before the session exists.
          before: async (session, ctx) => {
            // After the password was checked: a disabled account gets no session, whichever way it signs in.
            const u = await findUserById(store, session.userId);
            if (!u || u.disabledAt !== null) throw new APIError("FORBIDDEN", { message: "This account is disabled; ask an admin", code: "ACCOUNT_DISABLED" });
            if (!oidc || !ctx) return;
            const viaSso = ctx.path === `/callback/${SSO_PROVIDER_ID}` || (ctx.path === "/callback/:id" && (ctx.params as { id?: string } | undefined)?.id === SSO_PROVIDER_ID);
            if (!viaSso) return;
            const ip = (ctx.request?.headers ?? ctx.headers)?.get(CLIENT_ADDRESS_HEADER) ?? null;
            try {
              await applySsoRole(store, oidc, session.userId, ip, now());
            } catch (e) {
              if (e instanceof AppError && e.message === NO_MAPPED_GROUP) {
                throw new APIError("FORBIDDEN", { code: NO_MAPPED_GROUP, message: "in none of the groups that give access to this dashboard" });
              }
              throw e;
            }
          },
        },
      },
    },
    // Ours instead (hooks below): per account and per address, counted in the shared store.
    rateLimit: { enabled: false },
    advanced: {
      cookiePrefix: COOKIE_PREFIX,
      // The single sign-on state cookie must come back on the provider's cross-site redirect to the
      // callback, which SameSite=Strict would block; it holds no session, only the flow's state.
      cookies: { state: { attributes: { sameSite: "lax" } }, oauth_state: { attributes: { sameSite: "lax" } } },
      useSecureCookies: settings.baseURL?.startsWith("https://") ?? false,
      defaultCookieAttributes: { sameSite: "strict", httpOnly: true, path: "/" },
      // Set by app/api/auth from the socket and the trusted proxies only (client-address.ts); a client's copy is replaced.
      ipAddress: { ipAddressHeaders: [CLIENT_ADDRESS_HEADER] },
    },
    logger: { level: "error" },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path === CHANGE_PASSWORD_PATH) {
          const body = (ctx.body ?? {}) as { newPassword?: unknown; currentPassword?: unknown };
          if (typeof body.newPassword === "string" && body.newPassword === body.currentPassword) {
            throw new APIError("BAD_REQUEST", { message: "newPassword: choose a password different from the current one", code: "PASSWORD_UNCHANGED" });
          }
          return;
        }
        if (ctx.path === "/sign-in/social") {
          const body = (ctx.body ?? {}) as { provider?: unknown; idToken?: unknown; additionalParams?: Record<string, unknown> };
          // Who someone is comes only from the id_token of our own code exchange, never from one the caller hands in.
          if (!oidc || body.provider !== SSO_PROVIDER_ID || body.idToken !== undefined) throw new APIError("NOT_FOUND", { message: "Not found" });
          const extra = Object.keys(body.additionalParams ?? {});
          if (extra.some((k) => k !== "prompt" && k !== "max_age")) throw new APIError("BAD_REQUEST", { message: "only prompt and max_age may be added to the authorization request" });
          return;
        }
        if (!SIGN_IN_PATHS.has(ctx.path)) return;
        const keys = await signInKeys(ctx);
        const t = now();
        const rows = new Map((await loginFailures(store, keys.address ? [keys.account, keys.address] : [keys.account])).map((r) => [r.key, r]));
        const wait = Math.max(
          retryAfterMs(rows.get(keys.account), t, limit.windowMs, limit.maxPerAccount),
          keys.address ? retryAfterMs(rows.get(keys.address), t, limit.windowMs, limit.maxPerAddress) : 0,
        );
        if (wait > 0) {
          const s = Math.ceil(wait / 1000);
          throw new APIError("TOO_MANY_REQUESTS", { message: `Too many failed sign-ins; try again in ${s} s`, code: "TOO_MANY_ATTEMPTS" }, { "Retry-After": String(s) });
        }
        const local = localAllowed(ctx, keys.user);
        if (!local.ok) {
          // Answered like a wrong password (the break-glass names stay unknown), counted and audited.
          const ip = (ctx.request?.headers ?? ctx.headers)?.get(CLIENT_ADDRESS_HEADER) ?? null;
          await recordLoginFailure(store, keys.account, t, limit.windowMs);
          if (keys.address) await recordLoginFailure(store, keys.address, t, limit.windowMs);
          await auditAdmin(store, {
            by: { id: `login:${local.who || "unknown"}`, name: local.who || "unknown", role: "none", ip },
            event: "local_signin_refused",
            at: t,
            target: local.who || "unknown",
            detail: `password sign-in refused: ${local.who || "this account"} is not one of auth.localAccounts`,
          });
          throw new APIError("UNAUTHORIZED", { message: "Invalid username or password", code: "INVALID_USERNAME_OR_PASSWORD" });
        }
      }),
      after: createAuthMiddleware(async (ctx) => {
        if (ctx.path === CHANGE_PASSWORD_PATH) {
          // The one-time password an admin gave is gone once the person chose their own.
          const returned = ctx.context.returned as { user?: { id?: unknown } } | APIError | undefined;
          if (returned && !(returned instanceof APIError) && typeof returned.user?.id === "string") await clearMustChangePassword(store, returned.user.id, now());
          return;
        }
        if (!SIGN_IN_PATHS.has(ctx.path)) return;
        const keys = await signInKeys(ctx);
        const returned = ctx.context.returned;
        if (returned instanceof APIError) {
          if (returned.statusCode === 401) {
            const t = now();
            await recordLoginFailure(store, keys.account, t, limit.windowMs);
            if (keys.address) await recordLoginFailure(store, keys.address, t, limit.windowMs);
          }
          return;
        }
        await clearLoginFailures(store, keys.account);
      }),
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;

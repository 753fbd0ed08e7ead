/**
 * The better-auth instance over the control store. better-auth owns passwords (scrypt), the signed
 * session cookie and the sign-in endpoints (/api/auth/*); we add the role, the idle timeout
 * (server/auth/session.ts) and sign-in limits kept in the store (the hooks below).
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
import { clearLoginFailures, findUserByEmail, findUserByUsername, loginFailures, recordLoginFailure } from "../store/auth";
import { authAccounts, authSessions, authUsers, authVerifications } from "../store/schema-auth";
import { storeDb, type Store } from "../store/store";
import { USERNAME_RE } from "./username";
import { auditAdmin } from "./admin-audit";
import { NO_MAPPED_GROUP, applySsoRole, ssoPluginConfig, SSO_PROVIDER_ID, type OidcConfig } from "./oidc";
import { accountKey, addressKey, clientIp, loginLimitOf, ownOrigin, retryAfterMs, sessionPolicyOf } from "./policy";

/** Cookie names start with this: hacr.session_token (or __Secure-hacr.session_token over https). */
export const COOKIE_PREFIX = "hacr";
const SIGN_IN_PATHS = new Set(["/sign-in/username", "/sign-in/email"]);
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
  settings: Pick<AuthSettings, "idleTimeoutMinutes" | "absoluteTimeoutHours" | "baseURL" | "trustedOrigins" | "loginRateLimit">;
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
  const localAllowed = async (ctx: { path: string; body?: unknown }): Promise<{ ok: boolean; who: string }> => {
    const body = (ctx.body ?? {}) as { username?: unknown; email?: unknown };
    if (ctx.path === "/sign-in/username") {
      const who = typeof body.username === "string" ? body.username.toLowerCase() : "";
      return { ok: !localOnly || localOnly.has(who), who };
    }
    const email = typeof body.email === "string" ? body.email.toLowerCase() : "";
    if (!localOnly) return { ok: true, who: email };
    const u = email ? await findUserByEmail(store, email) : null;
    return { ok: !!u?.username && localOnly.has(u.username), who: u?.username ?? email };
  };

  const signInKeys = (ctx: { body?: unknown; headers?: Headers; request?: Request }) => {
    const body = (ctx.body ?? {}) as { username?: unknown; email?: unknown };
    const who = typeof body.username === "string" ? body.username : typeof body.email === "string" ? body.email : "";
    const ip = clientIp(ctx.request?.headers ?? ctx.headers ?? new Headers()) ?? "unknown";
    return { account: accountKey(who), address: addressKey(ip) };
  };

  return betterAuth({
    appName: "HA Control Room",
    baseURL: settings.baseURL,
    secret,
    // The dashboard's own origin (from the Host a browser sent) and the configured ones; CSRF on
    // /api/auth/* is better-auth's Origin check against this list.
    trustedOrigins: (request) => [...settings.trustedOrigins, ...(request ? [ownOrigin(request.headers)] : [])],
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
            if (!oidc || !ctx) return;
            const viaSso = ctx.path === `/callback/${SSO_PROVIDER_ID}` || (ctx.path === "/callback/:id" && (ctx.params as { id?: string } | undefined)?.id === SSO_PROVIDER_ID);
            if (!viaSso) return;
            const ip = clientIp(ctx.request?.headers ?? ctx.headers ?? new Headers());
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
      ipAddress: { ipAddressHeaders: ["x-forwarded-for"] },
    },
    logger: { level: "error" },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path === "/sign-in/social") {
          const body = (ctx.body ?? {}) as { provider?: unknown; idToken?: unknown; additionalParams?: Record<string, unknown> };
          // Who someone is comes only from the id_token of our own code exchange, never from one the caller hands in.
          if (!oidc || body.provider !== SSO_PROVIDER_ID || body.idToken !== undefined) throw new APIError("NOT_FOUND", { message: "Not found" });
          const extra = Object.keys(body.additionalParams ?? {});
          if (extra.some((k) => k !== "prompt" && k !== "max_age")) throw new APIError("BAD_REQUEST", { message: "only prompt and max_age may be added to the authorization request" });
          return;
        }
        if (!SIGN_IN_PATHS.has(ctx.path)) return;
        const keys = signInKeys(ctx);
        const t = now();
        const rows = new Map((await loginFailures(store, [keys.account, keys.address])).map((r) => [r.key, r]));
        const wait = Math.max(
          retryAfterMs(rows.get(keys.account), t, limit.windowMs, limit.maxPerAccount),
          retryAfterMs(rows.get(keys.address), t, limit.windowMs, limit.maxPerAddress),
        );
        if (wait > 0) {
          const s = Math.ceil(wait / 1000);
          throw new APIError("TOO_MANY_REQUESTS", { message: `Too many failed sign-ins; try again in ${s} s`, code: "TOO_MANY_ATTEMPTS" }, { "Retry-After": String(s) });
        }
        const local = await localAllowed(ctx);
        if (!local.ok) {
          // Answered like a wrong password (the break-glass names stay unknown), counted and audited.
          const ip = clientIp(ctx.request?.headers ?? ctx.headers ?? new Headers());
          await recordLoginFailure(store, keys.account, t, limit.windowMs);
          await recordLoginFailure(store, keys.address, t, limit.windowMs);
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
        if (!SIGN_IN_PATHS.has(ctx.path)) return;
        const keys = signInKeys(ctx);
        const returned = ctx.context.returned;
        if (returned instanceof APIError) {
          if (returned.statusCode === 401) {
            const t = now();
            await recordLoginFailure(store, keys.account, t, limit.windowMs);
            await recordLoginFailure(store, keys.address, t, limit.windowMs);
          }
          return;
        }
        await clearLoginFailures(store, keys.account);
      }),
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;

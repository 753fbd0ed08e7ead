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
import { username } from "better-auth/plugins/username";
import type { AuthSettings } from "../config/schema";
import { clearLoginFailures, clearMustChangePassword, findUserById, findUserByLogin, loginFailures, recordLoginFailure } from "../store/auth";
import { authAccounts, authSessions, authUsers, authVerifications } from "../store/schema-auth";
import { storeDb, type Store } from "../store/store";
import { USERNAME_RE } from "./username";
import { CLIENT_ADDRESS_HEADER, clientAddress, clientProto, ProxyList } from "./client-address";
import { accountKey, addressKey, loginLimitOf, ownOrigin, retryAfterMs, sessionPolicyOf, userKey } from "./policy";

/** Cookie names start with this: hacr.session_token (or __Secure-hacr.session_token over https). */
export const COOKIE_PREFIX = "hacr";
const SIGN_IN_PATHS = new Set(["/sign-in/username", "/sign-in/email"]);
const CHANGE_PASSWORD_PATH = "/change-password";
/**
 * better-auth endpoints not served over HTTP: no self sign-up or self-service account changes (an
 * admin manages accounts), no username probing, and no password check outside the limited sign-in.
 * Server code may still call them through auth.api. Served: sign-in, sign-out, get-session, change-password.
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
  "/sign-in/social",
  "/get-access-token",
  "/refresh-token",
];

export interface AuthDeps {
  store: Store;
  settings: Pick<AuthSettings, "idleTimeoutMinutes" | "absoluteTimeoutHours" | "baseURL" | "trustedOrigins" | "trustedProxies" | "loginRateLimit">;
  /** Signs the session cookie; at least 32 characters. */
  secret: string;
  /** The clock of the sign-in limits (tests move it). */
  now?: () => number;
}

export function createAuth({ store, settings, secret, now = Date.now }: AuthDeps) {
  const policy = sessionPolicyOf(settings);
  const limit = loginLimitOf(settings.loginRateLimit);

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
    return { account: user ? userKey(user.id) : accountKey(who), address: ip ? addressKey(ip) : null };
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
    databaseHooks: {
      session: {
        create: {
          // After the password was checked: a disabled account gets no session, whichever way it signs in.
          before: async (session) => {
            const u = await findUserById(store, session.userId);
            if (!u || u.disabledAt !== null) throw new APIError("FORBIDDEN", { message: "This account is disabled; ask an admin", code: "ACCOUNT_DISABLED" });
          },
        },
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
    plugins: [username({ minUsernameLength: 3, maxUsernameLength: 32, usernameValidator: (u) => USERNAME_RE.test(u) })],
    // Ours instead (hooks below): per account and per address, counted in the shared store.
    rateLimit: { enabled: false },
    advanced: {
      cookiePrefix: COOKIE_PREFIX,
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

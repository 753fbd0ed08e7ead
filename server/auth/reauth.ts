/**
 * Password checks outside the sign-in form (approval, password change), counted in the same
 * failure store and under the same per-account key as sign-in, so no path offers unlimited guesses.
 * No "server-only": unit tests load it with a store of their own.
 */
import { clearLoginFailures, localPasswordHash, loginFailures, recordLoginFailure } from "../store/auth";
import type { Store } from "../store/store";
import type { Auth } from "./auth";
import { retryAfterMs, userKey, type LoginLimit } from "./policy";

export type PasswordCheck =
  | { ok: true }
  | { ok: false; reason: "wrong" }
  | { ok: false; reason: "locked"; retryAfterMs: number }
  /** The account has no local password (single sign-on): a fresh sign-in is its proof instead. */
  | { ok: false; reason: "no-password" };

export interface PasswordCheckDeps {
  auth: Auth;
  store: Store;
  limit: LoginLimit;
  now: number;
}

/** Milliseconds until the account's password may be tried again (0: now). */
export async function passwordLockedFor(d: Pick<PasswordCheckDeps, "store" | "limit" | "now">, userId: string): Promise<number> {
  const [row] = await loginFailures(d.store, [userKey(userId)]);
  return retryAfterMs(row, d.now, d.limit.windowMs, d.limit.maxPerAccount);
}

export async function recordPasswordFailure(d: Pick<PasswordCheckDeps, "store" | "limit" | "now">, userId: string): Promise<void> {
  await recordLoginFailure(d.store, userKey(userId), d.now, d.limit.windowMs);
}

/** Checks the user's own password; refused without checking while the account is locked; a failure counts. */
export async function checkPassword(d: PasswordCheckDeps, userId: string, password: string): Promise<PasswordCheck> {
  const hash = await localPasswordHash(d.store, userId);
  if (!hash) return { ok: false, reason: "no-password" };
  const wait = await passwordLockedFor(d, userId);
  if (wait > 0) return { ok: false, reason: "locked", retryAfterMs: wait };
  const ctx = await d.auth.$context;
  if (!(await ctx.password.verify({ hash, password }))) {
    await recordPasswordFailure(d, userId);
    return { ok: false, reason: "wrong" };
  }
  await clearLoginFailures(d.store, userKey(userId));
  return { ok: true };
}

/** "try again in 42 s" */
export const retryIn = (ms: number) => `try again in ${Math.ceil(ms / 1000)} s`;

/** What proves that the approver is at the keyboard, or why nothing does. */
export type ApproverProof =
  | { ok: true; by: "password" | "fresh sign-in" }
  | { ok: false; code: "BAD_REQUEST" | "FORBIDDEN" | "TOO_MANY_REQUESTS"; why: string };

/**
 * The approver's proof: their password re-entered (counted against the account's limit), or, for an
 * account without a local password, a session that began within the re-authentication window.
 * Typing the target's name proves nothing about who typed it, so it is never accepted here.
 */
export async function proveApprover(
  d: PasswordCheckDeps & { reauthWindowMs: number },
  who: { userId: string; session: { createdAt: number } | null },
  password: string | undefined,
): Promise<ApproverProof> {
  if (password === undefined || password === "") {
    if (await localPasswordHash(d.store, who.userId)) return { ok: false, code: "BAD_REQUEST", why: "re-enter your password to approve" };
    if (who.session && d.now - who.session.createdAt <= d.reauthWindowMs) return { ok: true, by: "fresh sign-in" };
    const min = Math.round(d.reauthWindowMs / 60_000);
    return { ok: false, code: "FORBIDDEN", why: `sign in again to approve: approval needs a sign-in within the last ${min} min` };
  }
  const r = await checkPassword(d, who.userId, password);
  if (r.ok) return { ok: true, by: "password" };
  switch (r.reason) {
    case "wrong":
      return { ok: false, code: "BAD_REQUEST", why: "the password is not correct" };
    case "locked":
      return { ok: false, code: "TOO_MANY_REQUESTS", why: `too many wrong passwords: approval by password is locked; ${retryIn(r.retryAfterMs)}` };
    case "no-password":
      return { ok: false, code: "BAD_REQUEST", why: "this account has no password here; leave the password empty and approve within a few minutes of signing in" };
  }
}

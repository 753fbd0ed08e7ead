/**
 * Accounts: made on the Admin page, by `npm run admin`, or kept from the config's seed users. Every
 * change is written in one transaction with its audit row, so there is never a change without its
 * record nor a record of a change that did not happen. Passwords are hashed by better-auth's own
 * hasher (before the transaction: scrypt is slow), so an account made here signs in like any other.
 */
import { randomBytes } from "node:crypto";
import { isRole, type Role } from "../../lib/roles";
import { AppError } from "../errors";
import {
  deleteUserSessions,
  findUserByUsername,
  insertUser,
  listUsers as listUserRows,
  localPasswordHash,
  setUserDisabled,
  setUserPassword,
  setUserRole,
  type UserRow,
} from "../store/auth";
import type { AuditActor } from "../store/audit";
import { withTransaction, type Store } from "../store/store";
import { auditAdmin, CONFIG_ACTOR } from "./admin-audit";
import type { Auth } from "./auth";
import { USERNAME_RE } from "./username";

export type { UserRow } from "../store/auth";
export { USERNAME_RE };

export interface NewUser {
  username: string;
  name?: string;
  email?: string;
  role: Role;
  password: string;
  /** A one-time password: the account must change it at its first sign-in. */
  mustChangePassword?: boolean;
}

/** better-auth requires an email; a user made without one gets this never-deliverable address (RFC 2606). */
export const placeholderEmail = (username: string) => `${username}@users.invalid`;

const ROLE_HINT = "expected a role: viewer, operator, approver or admin";

/**
 * A password handed to a person once (on screen) and changed at their first sign-in: 120 random
 * bits, in letters and digits that read unambiguously aloud or on paper, grouped for typing.
 */
export function oneTimePassword(): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY3456789";
  const out: string[] = [];
  // Rejection sampling keeps every character equally likely.
  while (out.length < 24) {
    for (const b of randomBytes(32)) {
      if (b < 256 - (256 % alphabet.length) && out.length < 24) out.push(alphabet[b % alphabet.length]!);
    }
  }
  return [0, 6, 12, 18].map((i) => out.slice(i, i + 6).join("")).join("-");
}

async function hashPassword(auth: Auth, password: string): Promise<string> {
  const ctx = await auth.$context;
  const { minPasswordLength, maxPasswordLength } = ctx.password.config;
  if (password.length < minPasswordLength) throw new AppError("BAD_REQUEST", `the password must have at least ${minPasswordLength} characters`);
  if (password.length > maxPasswordLength) throw new AppError("BAD_REQUEST", `the password must have at most ${maxPasswordLength} characters`);
  return ctx.password.hash(password);
}

async function userNamed(store: Store, username: string): Promise<UserRow> {
  const u = await findUserByUsername(store, username);
  if (!u) throw new AppError("NOT_FOUND", `no user named ${username}`);
  return u;
}

const sessionsEnded = (n: number) => (n === 1 ? "1 session ended" : `${n} sessions ended`);

/** The account and its audit row (`user_create`), together. */
export async function createUser(auth: Auth, store: Store, u: NewUser, by: AuditActor, now: number, reason?: string | null): Promise<UserRow> {
  if (!USERNAME_RE.test(u.username)) throw new AppError("BAD_REQUEST", "expected a lower-case user name of 3-32 letters, digits, '.', '_' or '-'");
  if (!isRole(u.role)) throw new AppError("BAD_REQUEST", ROLE_HINT);
  const passwordHash = await hashPassword(auth, u.password);
  const mustChange = u.mustChangePassword ?? false;
  return withTransaction(store, async (tx) => {
    if (await findUserByUsername(tx, u.username)) throw new AppError("CONFLICT", `a user named ${u.username} exists already`);
    await insertUser(tx, {
      id: randomBytes(24).toString("base64url"),
      name: u.name?.trim() || u.username,
      email: (u.email ?? placeholderEmail(u.username)).toLowerCase(),
      username: u.username,
      role: u.role,
      passwordHash,
      mustChangePassword: mustChange,
      now,
    });
    const detail = `${u.username} created with role ${u.role}${mustChange ? "; one-time password, to be changed at first sign-in" : ""}`;
    await auditAdmin(tx, { by, event: "user_create", at: now, target: u.username, detail, reason });
    return (await findUserByUsername(tx, u.username))!;
  });
}

/** From the Admin page: the account gets a generated one-time password, returned this once and never stored in clear. */
export async function createUserWithOneTimePassword(
  auth: Auth,
  store: Store,
  u: Omit<NewUser, "password" | "mustChangePassword">,
  by: AuditActor,
  now: number,
  reason?: string | null,
): Promise<{ user: UserSummary; oneTimePassword: string }> {
  const password = oneTimePassword();
  const user = await createUser(auth, store, { ...u, password, mustChangePassword: true }, by, now, reason);
  return { user: summary(user), oneTimePassword: password };
}

/**
 * Brings a seed user to its listed role and password (creating it if missing), audited with the
 * config as the actor. Sessions end when either changed. Returns what it did.
 */
export async function ensureUser(auth: Auth, store: Store, u: NewUser, now: number): Promise<"created" | "updated" | "unchanged"> {
  const existing = await findUserByUsername(store, u.username);
  if (!existing) {
    await createUser(auth, store, u, CONFIG_ACTOR, now);
    return "created";
  }
  const ctx = await auth.$context;
  const stored = await localPasswordHash(store, existing.id);
  const passwordOk = stored ? await ctx.password.verify({ password: u.password, hash: stored }) : false;
  const newHash = passwordOk ? null : await hashPassword(auth, u.password);
  if (existing.role === u.role && newHash === null) return "unchanged";
  await withTransaction(store, async (tx) => {
    const ended = await deleteUserSessions(tx, existing.id);
    if (existing.role !== u.role) {
      await setUserRole(tx, existing.id, u.role, now);
      const detail = `${u.username}: role ${existing.role} -> ${u.role} (from the config); ${sessionsEnded(ended)}`;
      await auditAdmin(tx, { by: CONFIG_ACTOR, event: "role_change", at: now, target: u.username, detail });
    }
    if (newHash !== null) {
      await setUserPassword(tx, existing.id, newHash, false, now);
      const detail = `${u.username}: password set from the config; ${sessionsEnded(ended)}`;
      await auditAdmin(tx, { by: CONFIG_ACTOR, event: "password_reset", at: now, target: u.username, detail });
    }
  });
  return "updated";
}

/** Ends the user's sessions (their rights changed) and records who did it in the audit log. */
export async function changeRole(store: Store, username: string, role: Role, by: AuditActor, now: number, reason?: string | null): Promise<void> {
  if (!isRole(role)) throw new AppError("BAD_REQUEST", ROLE_HINT);
  await withTransaction(store, async (tx) => {
    const u = await userNamed(tx, username);
    await setUserRole(tx, u.id, role, now);
    await deleteUserSessions(tx, u.id);
    await auditAdmin(tx, { by, event: "role_change", at: now, target: username, detail: `${username}: role ${u.role} -> ${role}; sessions ended`, reason });
  });
}

/** A disabled account cannot sign in and its sessions end at once; enabling lets it sign in again. */
export async function setDisabled(store: Store, username: string, disabled: boolean, by: AuditActor, now: number, reason?: string | null): Promise<void> {
  await withTransaction(store, async (tx) => {
    const u = await userNamed(tx, username);
    if (!(await setUserDisabled(tx, u.id, disabled, now))) throw new AppError("CONFLICT", `${username} is ${disabled ? "disabled" : "enabled"} already`);
    if (disabled) {
      const ended = await deleteUserSessions(tx, u.id);
      await auditAdmin(tx, { by, event: "user_disable", at: now, target: username, detail: `${username} disabled; ${sessionsEnded(ended)}`, reason });
    } else {
      await auditAdmin(tx, { by, event: "user_enable", at: now, target: username, detail: `${username} enabled`, reason });
    }
  });
}

/** Signs the user out everywhere (a lost laptop, a shared screen). */
export async function endSessions(store: Store, username: string, by: AuditActor, now: number, reason?: string | null): Promise<number> {
  return withTransaction(store, async (tx) => {
    const u = await userNamed(tx, username);
    const ended = await deleteUserSessions(tx, u.id);
    await auditAdmin(tx, { by, event: "sessions_end", at: now, target: username, detail: `${username}: ${sessionsEnded(ended)}`, reason });
    return ended;
  });
}

/** A new one-time password (returned this once), to be changed at the next sign-in; the user's sessions end. */
export async function resetPassword(auth: Auth, store: Store, username: string, by: AuditActor, now: number, reason?: string | null): Promise<{ oneTimePassword: string }> {
  const password = oneTimePassword();
  const hash = await hashPassword(auth, password);
  await withTransaction(store, async (tx) => {
    const u = await userNamed(tx, username);
    await setUserPassword(tx, u.id, hash, true, now);
    const ended = await deleteUserSessions(tx, u.id);
    const detail = `${username}: one-time password set, to be changed at next sign-in; ${sessionsEnded(ended)}`;
    await auditAdmin(tx, { by, event: "password_reset", at: now, target: username, detail, reason });
  });
  return { oneTimePassword: password };
}

/** What an admin sees of a user: never a hash, never a session token. */
export interface UserSummary {
  id: string;
  username: string | null;
  name: string;
  role: string;
  mustChangePassword: boolean;
  disabledAt: number | null;
  createdAt: number;
}

const summary = (u: UserRow): UserSummary => ({
  id: u.id,
  username: u.username,
  name: u.name,
  role: u.role,
  mustChangePassword: u.mustChangePassword,
  disabledAt: u.disabledAt,
  createdAt: u.createdAt,
});

export async function listUsers(store: Store): Promise<UserSummary[]> {
  return (await listUserRows(store)).map(summary);
}

/** From the browser, an admin cannot act on their own account this way (no locking oneself out); `npm run admin` can. */
async function refuseSelf(store: Store, username: string, by: AuditActor, what: string): Promise<void> {
  const target = await findUserByUsername(store, username);
  if (target && target.id === by.id) throw new AppError("FORBIDDEN", `You cannot ${what} your own account; ask another admin`);
}

export async function setRole(store: Store, username: string, role: Role, by: AuditActor, now: number, reason?: string): Promise<void> {
  const target = await findUserByUsername(store, username);
  if (target && target.id === by.id) throw new AppError("FORBIDDEN", "You cannot change your own role; ask another admin");
  await changeRole(store, username, role, by, now, reason);
}

export async function setDisabledFromBrowser(store: Store, username: string, disabled: boolean, by: AuditActor, now: number, reason?: string): Promise<void> {
  if (disabled) await refuseSelf(store, username, by, "disable");
  await setDisabled(store, username, disabled, by, now, reason);
}

export async function resetPasswordFromBrowser(auth: Auth, store: Store, username: string, by: AuditActor, now: number, reason?: string): Promise<{ oneTimePassword: string }> {
  await refuseSelf(store, username, by, "reset the password of");
  return resetPassword(auth, store, username, by, now, reason);
}

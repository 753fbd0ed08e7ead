/**
 * Accounts: created by `npm run admin` or kept from the config's seed users. Through better-auth's
 * own adapter and hasher, so a created account signs in exactly like any other.
 */
import { isRole, type Role } from "../../lib/roles";
import { AppError } from "../errors";
import { deleteUserSessions, findUserByUsername, listUsers as listUserRows, setUserRole, type UserRow } from "../store/auth";
import type { AuditActor } from "../store/audit";
import type { Store } from "../store/store";
import { auditAdmin } from "./admin-audit";
import type { Auth } from "./auth";

export type { UserRow } from "../store/auth";

import { USERNAME_RE } from "./username";

export { USERNAME_RE };

export interface NewUser {
  username: string;
  name?: string;
  email?: string;
  role: Role;
  password: string;
}

/** better-auth requires an email; a user made without one gets this never-deliverable address (RFC 2606). */
export const placeholderEmail = (username: string) => `${username}@users.invalid`;

async function checkPassword(auth: Auth, password: string): Promise<void> {
  const ctx = await auth.$context;
  const { minPasswordLength, maxPasswordLength } = ctx.password.config;
  if (password.length < minPasswordLength) throw new AppError("BAD_REQUEST", `the password must have at least ${minPasswordLength} characters`);
  if (password.length > maxPasswordLength) throw new AppError("BAD_REQUEST", `the password must have at most ${maxPasswordLength} characters`);
}

export async function createUser(auth: Auth, store: Store, u: NewUser): Promise<UserRow> {
  if (!USERNAME_RE.test(u.username)) throw new AppError("BAD_REQUEST", "expected a lower-case user name of 3-32 letters, digits, '.', '_' or '-'");
  if (!isRole(u.role)) throw new AppError("BAD_REQUEST", "expected a role: viewer, operator, approver or admin");
  await checkPassword(auth, u.password);
  if (await findUserByUsername(store, u.username)) throw new AppError("CONFLICT", `a user named ${u.username} exists already`);
  const ctx = await auth.$context;
  const user = await ctx.internalAdapter.createUser({
    name: u.name ?? u.username,
    email: (u.email ?? placeholderEmail(u.username)).toLowerCase(),
    username: u.username,
    displayUsername: u.username,
    role: u.role,
  }, { method: "admin" });
  await ctx.internalAdapter.linkAccount({ userId: user.id, providerId: "credential", accountId: user.id, password: await ctx.password.hash(u.password) });
  return (await findUserByUsername(store, u.username))!;
}

/**
 * Brings a seed user to its listed role and password (creating it if missing). Sessions end when
 * either changed. Returns what it did.
 */
export async function ensureUser(auth: Auth, store: Store, u: NewUser, now: number): Promise<"created" | "updated" | "unchanged"> {
  const existing = await findUserByUsername(store, u.username);
  if (!existing) {
    await createUser(auth, store, u);
    return "created";
  }
  const ctx = await auth.$context;
  let changed = false;
  if (existing.role !== u.role) {
    await setUserRole(store, existing.id, u.role, now);
    changed = true;
  }
  const account = await ctx.internalAdapter.findCredentialAccount(existing.id);
  const ok = account?.password ? await ctx.password.verify({ password: u.password, hash: account.password }) : false;
  if (!ok) {
    await checkPassword(auth, u.password);
    const hash = await ctx.password.hash(u.password);
    if (account) await ctx.internalAdapter.updatePassword(existing.id, hash);
    else await ctx.internalAdapter.linkAccount({ userId: existing.id, providerId: "credential", accountId: existing.id, password: hash });
    changed = true;
  }
  if (changed) await deleteUserSessions(store, existing.id);
  return changed ? "updated" : "unchanged";
}

/** Ends the user's sessions (their rights changed) and records who did it in the audit log. */
export async function changeRole(store: Store, username: string, role: Role, by: AuditActor, now: number, reason?: string | null): Promise<void> {
  if (!isRole(role)) throw new AppError("BAD_REQUEST", "expected a role: viewer, operator, approver or admin");
  const u = await findUserByUsername(store, username);
  if (!u) throw new AppError("NOT_FOUND", `no user named ${username}`);
  await setUserRole(store, u.id, role, now);
  await deleteUserSessions(store, u.id);
  await auditAdmin(store, { by, event: "role_change", at: now, target: username, detail: `${username}: role ${u.role} -> ${role}; sessions ended`, reason });
}

/** What an admin sees of a user: never a hash, never a session token. */
export interface UserSummary {
  id: string;
  username: string | null;
  name: string;
  role: string;
  createdAt: number;
}

export async function listUsers(store: Store): Promise<UserSummary[]> {
  return (await listUserRows(store)).map((u) => ({ id: u.id, username: u.username, name: u.name, role: u.role, createdAt: u.createdAt }));
}

/** From the browser: an admin cannot change their own role (no locking oneself out); `npm run admin -- set-role` can. */
export async function setRole(store: Store, username: string, role: Role, by: AuditActor, now: number, reason?: string): Promise<void> {
  const target = await findUserByUsername(store, username);
  if (target && target.id === by.id) throw new AppError("FORBIDDEN", "You cannot change your own role; ask another admin");
  await changeRole(store, username, role, by, now, reason);
}

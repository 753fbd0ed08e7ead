/**
 * People and sessions in the control store: kiosk tokens, sign-in failure windows, session
 * bookkeeping (last use, ending), users' roles, and the generated cookie-signing key. better-auth
 * reads and writes its own rows through its drizzle adapter (server/auth/auth.ts); these are the
 * rest, kept beside the store so all of its SQL lives in this folder.
 */
import { and, asc, desc, eq, inArray, isNotNull, isNull, ne, or, sql } from "drizzle-orm";
import { authAccounts, authLoginFailures, authSessions, authSettings, authUsers, kioskTokens } from "./schema-auth";
import { storeDb, type Store } from "./store";

export interface KioskTokenRow {
  id: string;
  label: string;
  createdAt: number;
  createdBy: string;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

const toKiosk = (r: typeof kioskTokens.$inferSelect): KioskTokenRow => ({
  id: r.id,
  label: r.label,
  createdAt: r.createdAt.getTime(),
  createdBy: r.createdBy,
  lastUsedAt: r.lastUsedAt?.getTime() ?? null,
  revokedAt: r.revokedAt?.getTime() ?? null,
});

export async function insertKioskToken(store: Store, row: { id: string; label: string; tokenHash: string; createdBy: string; now: number }): Promise<KioskTokenRow> {
  const [r] = await storeDb(store)
    .insert(kioskTokens)
    .values({ id: row.id, label: row.label, tokenHash: row.tokenHash, createdBy: row.createdBy, createdAt: new Date(row.now) })
    .returning();
  return toKiosk(r!);
}

export async function listKioskTokens(store: Store): Promise<KioskTokenRow[]> {
  const rows = await storeDb(store).select().from(kioskTokens).orderBy(desc(kioskTokens.createdAt), asc(kioskTokens.id));
  return rows.map(toKiosk);
}

/** Marks the token revoked; false when there is no such token or it was revoked already. */
export async function revokeKioskToken(store: Store, id: string, now: number): Promise<boolean> {
  const rows = await storeDb(store)
    .update(kioskTokens)
    .set({ revokedAt: new Date(now) })
    .where(and(eq(kioskTokens.id, id), isNull(kioskTokens.revokedAt)))
    .returning({ id: kioskTokens.id });
  return rows.length === 1;
}

/** The live (not revoked) token with this hash. */
export async function findKioskToken(store: Store, tokenHash: string): Promise<KioskTokenRow | null> {
  const [r] = await storeDb(store)
    .select()
    .from(kioskTokens)
    .where(and(eq(kioskTokens.tokenHash, tokenHash), isNull(kioskTokens.revokedAt)))
    .limit(1);
  return r ? toKiosk(r) : null;
}

export async function kioskTokenLive(store: Store, id: string): Promise<boolean> {
  const [r] = await storeDb(store)
    .select({ id: kioskTokens.id })
    .from(kioskTokens)
    .where(and(eq(kioskTokens.id, id), isNull(kioskTokens.revokedAt)))
    .limit(1);
  return r !== undefined;
}

export async function touchKioskToken(store: Store, id: string, now: number): Promise<void> {
  await storeDb(store).update(kioskTokens).set({ lastUsedAt: new Date(now) }).where(eq(kioskTokens.id, id));
}

// ---------------------------------------------------------------- sign-in failures

export interface FailureRow {
  key: string;
  windowStart: number;
  count: number;
}

export async function loginFailures(store: Store, keys: readonly string[]): Promise<FailureRow[]> {
  if (keys.length === 0) return [];
  const rows = await storeDb(store)
    .select()
    .from(authLoginFailures)
    .where(inArray(authLoginFailures.key, [...keys]));
  return rows.map((r) => ({ key: r.key, windowStart: r.windowStart.getTime(), count: r.count }));
}

/**
 * Counts one failure for the key in one statement (so concurrent failures on several instances all
 * count): a window older than `windowMs` starts again at 1.
 */
export async function recordLoginFailure(store: Store, key: string, now: number, windowMs: number): Promise<void> {
  const at = new Date(now);
  const cutoff = new Date(now - windowMs);
  await storeDb(store)
    .insert(authLoginFailures)
    .values({ key, windowStart: at, count: 1 })
    .onConflictDoUpdate({
      target: authLoginFailures.key,
      set: {
        count: sql`case when ${authLoginFailures.windowStart} <= ${cutoff.toISOString()}::timestamptz then 1 else ${authLoginFailures.count} + 1 end`,
        windowStart: sql`case when ${authLoginFailures.windowStart} <= ${cutoff.toISOString()}::timestamptz then ${at.toISOString()}::timestamptz else ${authLoginFailures.windowStart} end`,
      },
    });
}

export async function clearLoginFailures(store: Store, key: string): Promise<void> {
  await storeDb(store).delete(authLoginFailures).where(eq(authLoginFailures.key, key));
}

// ---------------------------------------------------------------- sessions

export interface SessionTimes {
  id: string;
  userId: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
}

export async function sessionTimes(store: Store, id: string): Promise<SessionTimes | null> {
  const [r] = await storeDb(store)
    .select({ id: authSessions.id, userId: authSessions.userId, createdAt: authSessions.createdAt, lastSeenAt: authSessions.lastSeenAt, expiresAt: authSessions.expiresAt })
    .from(authSessions)
    .where(eq(authSessions.id, id))
    .limit(1);
  return r ? { id: r.id, userId: r.userId, createdAt: r.createdAt.getTime(), lastSeenAt: r.lastSeenAt.getTime(), expiresAt: r.expiresAt.getTime() } : null;
}

/** Moves last_seen_at forward (never back). */
export async function touchSession(store: Store, id: string, now: number): Promise<void> {
  const at = new Date(now);
  await storeDb(store)
    .update(authSessions)
    .set({ lastSeenAt: sql`greatest(${authSessions.lastSeenAt}, ${at.toISOString()}::timestamptz)` })
    .where(eq(authSessions.id, id));
}

export async function deleteSession(store: Store, id: string): Promise<void> {
  await storeDb(store).delete(authSessions).where(eq(authSessions.id, id));
}

/** Test and maintenance helper: set a session's times (e.g. to age it). */
export async function setSessionTimes(store: Store, id: string, t: { createdAt?: number; lastSeenAt?: number }): Promise<void> {
  await storeDb(store)
    .update(authSessions)
    .set({
      ...(t.createdAt !== undefined ? { createdAt: new Date(t.createdAt) } : {}),
      ...(t.lastSeenAt !== undefined ? { lastSeenAt: new Date(t.lastSeenAt) } : {}),
    })
    .where(eq(authSessions.id, id));
}

/** How many sessions ended. */
export async function deleteUserSessions(store: Store, userId: string): Promise<number> {
  const rows = await storeDb(store).delete(authSessions).where(eq(authSessions.userId, userId)).returning({ id: authSessions.id });
  return rows.length;
}

/** The ids of the user's sessions other than `exceptId`. */
export async function otherSessionIds(store: Store, userId: string, exceptId: string): Promise<string[]> {
  const rows = await storeDb(store)
    .select({ id: authSessions.id })
    .from(authSessions)
    .where(and(eq(authSessions.userId, userId), ne(authSessions.id, exceptId)));
  return rows.map((r) => r.id);
}

/** Ends those of the user's sessions (any already gone are skipped). */
export async function deleteSessionsById(store: Store, userId: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await storeDb(store)
    .delete(authSessions)
    .where(and(eq(authSessions.userId, userId), inArray(authSessions.id, [...ids])));
}

// ---------------------------------------------------------------- users

export interface UserRow {
  id: string;
  username: string | null;
  name: string;
  email: string;
  role: string;
  mustChangePassword: boolean;
  disabledAt: number | null;
  createdAt: number;
}

const userColumns = {
  id: authUsers.id,
  username: authUsers.username,
  name: authUsers.name,
  email: authUsers.email,
  role: authUsers.role,
  mustChangePassword: authUsers.mustChangePassword,
  disabledAt: authUsers.disabledAt,
  createdAt: authUsers.createdAt,
};
const toUser = (r: { [K in keyof typeof userColumns]: (typeof authUsers.$inferSelect)[K] }): UserRow => ({
  ...r,
  disabledAt: r.disabledAt?.getTime() ?? null,
  createdAt: r.createdAt.getTime(),
});

export async function listUsers(store: Store): Promise<UserRow[]> {
  const rows = await storeDb(store).select(userColumns).from(authUsers).orderBy(asc(authUsers.username), asc(authUsers.email));
  return rows.map(toUser);
}

export async function findUserByUsername(store: Store, username: string): Promise<UserRow | null> {
  const [r] = await storeDb(store).select(userColumns).from(authUsers).where(eq(authUsers.username, username)).limit(1);
  return r ? toUser(r) : null;
}

export async function findUserById(store: Store, id: string): Promise<UserRow | null> {
  const [r] = await storeDb(store).select(userColumns).from(authUsers).where(eq(authUsers.id, id)).limit(1);
  return r ? toUser(r) : null;
}

/** The user a sign-in name or email (any case) belongs to. */
export async function findUserByLogin(store: Store, login: string): Promise<UserRow | null> {
  const l = login.trim().toLowerCase();
  if (!l) return null;
  const [r] = await storeDb(store)
    .select(userColumns)
    .from(authUsers)
    .where(or(eq(authUsers.username, l), sql`lower(${authUsers.email}) = ${l}`))
    .limit(1);
  return r ? toUser(r) : null;
}

/** The user's local password hash (better-auth's "credential" account), or null for an account without one (single sign-on). */
export async function localPasswordHash(store: Store, userId: string): Promise<string | null> {
  const [r] = await storeDb(store)
    .select({ password: authAccounts.password })
    .from(authAccounts)
    .where(and(eq(authAccounts.userId, userId), eq(authAccounts.providerId, "credential")))
    .limit(1);
  return r?.password ?? null;
}


export async function countAdmins(store: Store): Promise<number> {
  const [r] = await storeDb(store)
    .select({ n: sql<number>`count(*)::int` })
    .from(authUsers)
    .where(eq(authUsers.role, "admin"));
  return r?.n ?? 0;
}

export async function setUserRole(store: Store, id: string, role: string, now: number): Promise<boolean> {
  const rows = await storeDb(store).update(authUsers).set({ role, updatedAt: new Date(now) }).where(eq(authUsers.id, id)).returning({ id: authUsers.id });
  return rows.length === 1;
}

export interface NewUserRow {
  id: string;
  name: string;
  email: string;
  username: string;
  role: string;
  /** Already hashed by better-auth's hasher, so the account signs in like one better-auth made. */
  passwordHash: string;
  mustChangePassword: boolean;
  now: number;
}

/** The user and its "credential" account, as better-auth's own adapter would write them. */
export async function insertUser(store: Store, u: NewUserRow): Promise<void> {
  const db = storeDb(store);
  const at = new Date(u.now);
  await db.insert(authUsers).values({
    id: u.id,
    name: u.name,
    email: u.email,
    username: u.username,
    displayUsername: u.username,
    role: u.role,
    mustChangePassword: u.mustChangePassword,
    createdAt: at,
    updatedAt: at,
  });
  await db.insert(authAccounts).values({ id: `${u.id}-credential`, accountId: u.id, providerId: "credential", userId: u.id, password: u.passwordHash, createdAt: at, updatedAt: at });
}

/** Replaces the account's password hash (adding the credential account if it had none) and sets whether it must be changed. */
export async function setUserPassword(store: Store, userId: string, passwordHash: string, mustChangePassword: boolean, now: number): Promise<void> {
  const db = storeDb(store);
  const at = new Date(now);
  const updated = await db
    .update(authAccounts)
    .set({ password: passwordHash, updatedAt: at })
    .where(and(eq(authAccounts.userId, userId), eq(authAccounts.providerId, "credential")))
    .returning({ id: authAccounts.id });
  if (updated.length === 0) {
    await db.insert(authAccounts).values({ id: `${userId}-credential`, accountId: userId, providerId: "credential", userId, password: passwordHash, createdAt: at, updatedAt: at });
  }
  await db.update(authUsers).set({ mustChangePassword, updatedAt: at }).where(eq(authUsers.id, userId));
}

export async function clearMustChangePassword(store: Store, userId: string, now: number): Promise<void> {
  await storeDb(store)
    .update(authUsers)
    .set({ mustChangePassword: false, updatedAt: new Date(now) })
    .where(and(eq(authUsers.id, userId), eq(authUsers.mustChangePassword, true)));
}

/** Disables (at `now`) or enables the user; false when that was its state already. */
export async function setUserDisabled(store: Store, id: string, disabled: boolean, now: number): Promise<boolean> {
  const rows = await storeDb(store)
    .update(authUsers)
    .set({ disabledAt: disabled ? new Date(now) : null, updatedAt: new Date(now) })
    .where(and(eq(authUsers.id, id), disabled ? isNull(authUsers.disabledAt) : isNotNull(authUsers.disabledAt)))
    .returning({ id: authUsers.id });
  return rows.length === 1;
}

// ---------------------------------------------------------------- settings

/** The stored value, or `make()` stored first; concurrent first calls on several instances agree on one. */
export async function settingOrCreate(store: Store, name: string, make: () => string): Promise<string> {
  const db = storeDb(store);
  await db.insert(authSettings).values({ name, value: make() }).onConflictDoNothing();
  const [r] = await db.select({ value: authSettings.value }).from(authSettings).where(eq(authSettings.name, name)).limit(1);
  return r!.value;
}

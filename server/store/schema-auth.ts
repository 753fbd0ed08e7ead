/**
 * People, sessions and kiosk tokens. The first four tables are better-auth's core model
 * (user, session, account, verification) under our names; better-auth reaches them through its
 * drizzle adapter (server/auth/auth.ts). No "server-only": drizzle-kit loads this file.
 */
import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: "date", precision: 3 });
/** The role ladder of lib/roles.ts, spelt out: drizzle-kit loads this file without the "@/" alias. */
const roleList = sql.raw(["viewer", "operator", "approver", "admin"].map((r) => `'${r}'`).join(", "));

export const authUsers = pgTable(
  "auth_users",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    /** better-auth requires an email; accounts made by `npm run admin` without one get <username>@users.invalid. */
    email: text("email").notNull().unique(),
    emailVerified: boolean("email_verified").notNull().default(false),
    image: text("image"),
    /** Lower-case login name (better-auth's username plugin). */
    username: text("username").unique(),
    displayUsername: text("display_username"),
    role: text("role").notNull().default("viewer"),
    /** Set when an admin made the account or reset its password: a one-time password, to be changed at first sign-in. */
    mustChangePassword: boolean("must_change_password").notNull().default(false),
    /** Set while an admin has disabled the account: no sign-in, no session. */
    disabledAt: tstz("disabled_at"),
    createdAt: tstz("created_at").notNull().defaultNow(),
    updatedAt: tstz("updated_at").notNull().defaultNow(),
  },
  (t) => [check("auth_users_role_check", sql`${t.role} in (${roleList})`)],
);

export const authSessions = pgTable(
  "auth_sessions",
  {
    id: text("id").primaryKey(),
    /** Absolute end: created_at + the configured absolute timeout; never moved forward. */
    expiresAt: tstz("expires_at").notNull(),
    token: text("token").notNull().unique(),
    createdAt: tstz("created_at").notNull().defaultNow(),
    updatedAt: tstz("updated_at").notNull().defaultNow(),
    /** Last request made with this session; the idle timeout counts from here. */
    lastSeenAt: tstz("last_seen_at").notNull().defaultNow(),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    userId: text("user_id")
      .notNull()
      .references(() => authUsers.id, { onDelete: "cascade" }),
  },
  (t) => [index("auth_sessions_user_idx").on(t.userId)],
);

/** One row per way of signing in: "credential" holds the password hash; an OIDC provider would add its own rows. */
export const authAccounts = pgTable(
  "auth_accounts",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    providerId: text("provider_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => authUsers.id, { onDelete: "cascade" }),
    accessToken: text("access_token"),
    refreshToken: text("refresh_token"),
    idToken: text("id_token"),
    accessTokenExpiresAt: tstz("access_token_expires_at"),
    refreshTokenExpiresAt: tstz("refresh_token_expires_at"),
    scope: text("scope"),
    password: text("password"),
    createdAt: tstz("created_at").notNull().defaultNow(),
    updatedAt: tstz("updated_at").notNull().defaultNow(),
  },
  (t) => [index("auth_accounts_user_idx").on(t.userId)],
);

export const authVerifications = pgTable(
  "auth_verifications",
  {
    id: text("id").primaryKey(),
    identifier: text("identifier").notNull(),
    value: text("value").notNull(),
    expiresAt: tstz("expires_at").notNull(),
    createdAt: tstz("created_at").notNull().defaultNow(),
    updatedAt: tstz("updated_at").notNull().defaultNow(),
  },
  (t) => [index("auth_verifications_identifier_idx").on(t.identifier)],
);

/** Read-only tokens for wall screens. Only a SHA-256 of the token is kept; the token is shown once. */
export const kioskTokens = pgTable(
  "kiosk_tokens",
  {
    id: text("id").primaryKey(),
    label: text("label").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    createdAt: tstz("created_at").notNull().defaultNow(),
    createdBy: text("created_by").notNull(),
    lastUsedAt: tstz("last_used_at"),
    revokedAt: tstz("revoked_at"),
  },
  (t) => [check("kiosk_tokens_label_check", sql`length(${t.label}) between 1 and 100`)],
);

/**
 * Failed sign-ins per key ("account:<name>" or "address:<ip>") in the current window. In the
 * store, not in memory, so several dashboard instances share one limit.
 */
export const authLoginFailures = pgTable(
  "auth_login_failures",
  {
    key: text("key").primaryKey(),
    windowStart: tstz("window_start").notNull(),
    count: integer("count").notNull(),
  },
  (t) => [check("auth_login_failures_count_check", sql`${t.count} >= 0`)],
);

/** Generated once and shared by every dashboard instance: the key that signs session cookies, unless the config gives one. */
export const authSettings = pgTable("auth_settings", {
  name: text("name").primaryKey(),
  value: text("value").notNull(),
  createdAt: tstz("created_at").notNull().defaultNow(),
});

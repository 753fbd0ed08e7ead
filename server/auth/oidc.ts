/**
 * Single sign-on through an OpenID provider, on better-auth's generic OAuth plugin: authorization
 * code with PKCE and a nonce; the plugin verifies the id_token (signature against the provider's
 * JWKS, iss, aud, exp, iat, nonce) before anything here reads it. The role comes from the id_token's
 * groups claim at every sign-in (applySsoRole), so a group removed at the provider drops the role at
 * the person's next sign-in. No "server-only": `npm run admin` loads it under tsx.
 */
import { and, eq, inArray } from "drizzle-orm";
import { decodeJwt } from "jose";
import type { GenericOAuthConfig } from "better-auth/plugins/generic-oauth";
import { isRole } from "../../lib/roles";
import type { Resolve } from "../config/load";
import type { OidcSettings } from "../config/oidc";
import { AppError } from "../errors";
import { setUserRole } from "../store/auth";
import type { AuditActor } from "../store/audit";
import { authAccounts, authSessions, authUsers } from "../store/schema-auth";
import { storeDb, withTransaction, type Store } from "../store/store";
import { auditAdmin } from "./admin-audit";
import { groupsOf, mapRole } from "./role-mapping";

export type OidcConfig = Resolve<OidcSettings>;

/** better-auth's id for the provider: the callback is /api/auth/callback/sso. */
export const SSO_PROVIDER_ID = "sso";
/** The error code the callback sends back to the sign-in page when no mapped group matches. */
export const NO_MAPPED_GROUP = "no_mapped_group";

export const discoveryUrlOf = (o: Pick<OidcSettings, "issuer" | "discoveryUrl">) => o.discoveryUrl ?? `${o.issuer.replace(/\/$/, "")}/.well-known/openid-configuration`;

/** Who the audit log names when the provider's groups set a role. */
export const providerActor = (o: Pick<OidcSettings, "displayName" | "issuer">, ip: string | null): AuditActor => ({ id: `oidc:${o.issuer}`, name: o.displayName, role: "oidc", ip });

export function ssoPluginConfig(o: OidcConfig): GenericOAuthConfig {
  return {
    providerId: SSO_PROVIDER_ID,
    name: o.displayName,
    discoveryUrl: discoveryUrlOf(o),
    clientId: o.clientId,
    clientSecret: o.clientSecret.reveal(),
    scopes: o.scopes,
    pkce: true,
    authentication: "basic",
    // Without the provider's issuer and JWKS there is no verified id_token, so no sign-in.
    requireIdTokenVerification: true,
    // The id_token is the only source of who someone is and which groups they are in: the plugin has
    // verified it before this runs; a token answer without one is refused rather than read from userinfo.
    getUserInfo: async (tokens) => {
      if (!tokens.idToken) return null;
      const c = decodeJwt(tokens.idToken);
      if (typeof c.sub !== "string" || typeof c.email !== "string") return null;
      const preferred = typeof c.preferred_username === "string" ? c.preferred_username : undefined;
      return {
        ...c,
        id: c.sub,
        email: c.email,
        emailVerified: c.email_verified === true,
        name: typeof c.name === "string" && c.name ? c.name : (preferred ?? c.email),
      };
    },
    mapProfileToUser: (p) => {
      const preferred = typeof p.preferred_username === "string" ? p.preferred_username.toLowerCase() : undefined;
      return preferred ? { username: preferred, displayUsername: preferred } : {};
    },
  };
}

/**
 * Sets the user's role from the groups in the id_token this sign-in just stored (and verified).
 * Returns the role, or throws NO_MAPPED_GROUP (audited) when `noMatch: refuse` and no group matched.
 */
export async function applySsoRole(store: Store, o: OidcConfig, userId: string, ip: string | null, now: number): Promise<string> {
  const db = storeDb(store);
  const [row] = await db
    .select({ idToken: authAccounts.idToken, role: authUsers.role, username: authUsers.username, email: authUsers.email })
    .from(authAccounts)
    .innerJoin(authUsers, eq(authUsers.id, authAccounts.userId))
    .where(and(eq(authAccounts.userId, userId), eq(authAccounts.providerId, SSO_PROVIDER_ID)))
    .limit(1);
  if (!row?.idToken) throw new AppError("FORBIDDEN", "single sign-on left no id_token for this account");
  const groups = groupsOf(decodeJwt(row.idToken), o.groupsClaim);
  const mapped = mapRole(groups, o.roleMapping, o.noMatch);
  const who = row.username ?? row.email;
  const by = providerActor(o, ip);
  if (!mapped.role) {
    await auditAdmin(store, { by, event: "sso_refused", at: now, target: who, detail: `${who}: in none of the mapped groups (${groups.join(", ") || "no groups"}); sign-in refused` });
    throw new AppError("FORBIDDEN", NO_MAPPED_GROUP);
  }
  if (mapped.role !== row.role && isRole(mapped.role)) {
    const role = mapped.role;
    // The role and its audit row together, as every change of rights.
    await withTransaction(store, async (tx) => {
      await setUserRole(tx, userId, role, now);
      await auditAdmin(tx, {
        by,
        event: "role_mapped",
        at: now,
        target: who,
        detail: `${who}: role ${row.role} -> ${role} (${mapped.group ? `group ${mapped.group}` : "no mapped group: viewer"})`,
      });
    });
  }
  return mapped.role;
}

/**
 * Ends the sessions of single sign-on users (one, by user name or email, or all), so each signs in
 * again at the provider and gets the role its groups give now. Local accounts keep their sessions.
 */
export async function endSsoSessions(store: Store, by: AuditActor, now: number, who?: string, reason?: string | null): Promise<{ users: number; sessions: number }> {
  return withTransaction(store, async (tx) => {
    const db = storeDb(tx);
    const users = await db
      .selectDistinct({ id: authUsers.id, username: authUsers.username, email: authUsers.email })
      .from(authUsers)
      .innerJoin(authAccounts, and(eq(authAccounts.userId, authUsers.id), eq(authAccounts.providerId, SSO_PROVIDER_ID)));
    const targets = who ? users.filter((u) => u.username === who || u.email === who.toLowerCase()) : users;
    if (who && targets.length === 0) throw new AppError("NOT_FOUND", `no single sign-on user named ${who}`);
    const ended = targets.length
      ? await db.delete(authSessions).where(inArray(authSessions.userId, targets.map((u) => u.id))).returning({ id: authSessions.id })
      : [];
    await auditAdmin(tx, {
      by,
      event: "oidc_sync",
      at: now,
      target: who ?? "all single sign-on users",
      detail: `${ended.length} session(s) of ${targets.length} single sign-on user(s) ended; roles are mapped again at their next sign-in`,
      reason,
    });
    return { users: targets.length, sessions: ended.length };
  });
}

export type SsoStatus = { ok: true } | { ok: false; reason: string };

/** Whether the provider answers now: its discovery document, within the configured time, naming the configured issuer. */
export async function ssoStatus(o: Pick<OidcSettings, "issuer" | "discoveryUrl" | "timeoutMs" | "displayName">): Promise<SsoStatus> {
  try {
    const res = await fetch(discoveryUrlOf(o), { signal: AbortSignal.timeout(o.timeoutMs), redirect: "error", cache: "no-store" });
    if (!res.ok) return { ok: false, reason: `${o.displayName} answered HTTP ${res.status}` };
    const doc = (await res.json()) as { issuer?: unknown };
    if (doc.issuer !== o.issuer) return { ok: false, reason: `${o.displayName} names another issuer (${String(doc.issuer)}); check auth.oidc.issuer` };
    return { ok: true };
  } catch {
    return { ok: false, reason: `${o.displayName} did not answer` };
  }
}

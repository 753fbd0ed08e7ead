import { z } from "zod";
import { HttpUrl, SecretRef } from "./fields";

/**
 * `auth.oidc:` single sign-on through an OpenID provider (authorization code with PKCE; the id_token
 * is verified against the provider's JWKS). Roles come from the provider's group claim, mapped like
 * Grafana's role_attribute_path, and are applied again at every sign-in.
 */

const ROLE = z.enum(["viewer", "operator", "approver", "admin"], { error: "expected one of viewer, operator, approver, admin" });

export const OidcRoleMapping = z.strictObject({
  /** A value of the groups claim, matched exactly. */
  group: z.string({ error: "expected a group name as the provider sends it" }).min(1, { error: "expected a group name as the provider sends it" }),
  role: ROLE,
});
export type OidcRoleMapping = z.infer<typeof OidcRoleMapping>;

const Scope = z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, { error: "expected a scope name without spaces or quotes, such as groups" });

export const OidcSettings = z
  .strictObject({
    /** The provider's issuer exactly as its discovery document states it, e.g. https://sso.example.com/realms/noc. */
    issuer: HttpUrl,
    /** Unset: <issuer>/.well-known/openid-configuration. */
    discoveryUrl: HttpUrl.optional(),
    clientId: z.string({ error: "expected the client id registered for the dashboard at the provider" }).min(1, { error: "expected the client id registered for the dashboard at the provider" }),
    /** The client secret, by env or file; never inline. */
    clientSecret: SecretRef,
    scopes: z.array(Scope).default(["openid", "email", "profile", "groups"]),
    /** Shown on the sign-in page: "Sign in with <displayName>". */
    displayName: z.string().min(1).max(60).default("single sign-on"),
    /** The id_token claim that lists the person's groups. */
    groupsClaim: z.string().min(1).default("groups"),
    /** Which group gives which role; among the groups someone is in, the highest role wins. */
    roleMapping: z.array(OidcRoleMapping).min(1, { error: "expected at least one { group, role } mapping" }),
    /** Someone in none of the mapped groups: signs in as a viewer, or is refused. */
    noMatch: z.enum(["viewer", "refuse"], { error: "expected viewer or refuse" }).default("refuse"),
    /** How long the sign-in page waits for the provider before saying it is unavailable. */
    timeoutMs: z.number().int().min(200).max(10_000).default(1500),
  })
  .refine((o) => o.scopes.includes("openid"), { error: "the scopes must include openid (an id_token is required)", path: ["scopes"] });
export type OidcSettings = z.infer<typeof OidcSettings>;

/** `auth.localAccounts:` who may sign in with a password: everyone, or only the named break-glass accounts. */
export const LocalAccounts = z.union(
  [
    z.literal("all"),
    z
      .array(z.string().regex(/^[a-z0-9][a-z0-9._-]{2,31}$/, { error: "expected a lower-case user name of 3-32 letters, digits, '.', '_' or '-'" }))
      .min(1, { error: "expected `all` or a list of at least one user name (an empty list would lock every password out)" }),
  ],
  { error: "expected `all` or a list of user names allowed to sign in with a password" },
);
export type LocalAccounts = z.infer<typeof LocalAccounts>;

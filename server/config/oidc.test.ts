import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { ConfigError, parseConfig } from "./load";

/** `auth.oidc` and `auth.localAccounts`: defaults, secrets by reference, bad values named by path. */

const ENV = { NODE_ENV: "test", SSO_SECRET: "client-S3cret" } as NodeJS.ProcessEnv;
const OIDC = {
  issuer: "https://sso.example.com/realms/noc",
  clientId: "hacr",
  clientSecret: { env: "SSO_SECRET" },
  roleMapping: [{ group: "noc-approvers", role: "approver" }],
};
const withAuth = (auth: unknown) => stringify({ version: 1, auth });

function problems(auth: unknown): string[] {
  try {
    parseConfig(withAuth(auth), "/tmp/ha.config.yaml", ENV);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error("expected the config to be refused");
}

describe("auth.oidc", () => {
  it("fills the defaults and resolves the client secret as a Secret that is never serialised", () => {
    const cfg = parseConfig(withAuth({ oidc: OIDC }), "/tmp/ha.config.yaml", ENV);
    const o = cfg.auth.oidc!;
    expect(o).toMatchObject({ scopes: ["openid", "email", "profile", "groups"], groupsClaim: "groups", noMatch: "refuse", displayName: "single sign-on", timeoutMs: 1500 });
    expect(o.clientSecret.reveal()).toBe("client-S3cret");
    expect(JSON.stringify(cfg)).not.toContain("client-S3cret");
    expect(cfg.auth.localAccounts).toBe("all");
  });

  it("refuses an inline client secret, a bad issuer, a missing mapping and an unknown role, naming the field", () => {
    expect(problems({ oidc: { ...OIDC, clientSecret: "plain" } })[0]).toMatch(/^auth\.oidc\.clientSecret: expected a secret reference/);
    expect(problems({ oidc: { ...OIDC, issuer: "sso.example.com" } })[0]).toMatch(/^auth\.oidc\.issuer: expected a URL/);
    expect(problems({ oidc: { ...OIDC, roleMapping: [] } })).toEqual(["auth.oidc.roleMapping: expected at least one { group, role } mapping"]);
    expect(problems({ oidc: { ...OIDC, roleMapping: [{ group: "x", role: "root" }] } })).toEqual(["auth.oidc.roleMapping[0].role: expected one of viewer, operator, approver, admin"]);
    expect(problems({ oidc: { ...OIDC, noMatch: "operator" } })).toEqual(["auth.oidc.noMatch: expected viewer or refuse"]);
    expect(problems({ oidc: { ...OIDC, scopes: ["email", "groups"] } })).toEqual(["auth.oidc.scopes: the scopes must include openid (an id_token is required)"]);
    expect(problems({ oidc: { ...OIDC, clientSecret: undefined } })[0]).toMatch(/^auth\.oidc\.clientSecret: /);
    expect(problems({ oidc: { ...OIDC, groupClaim: "roles" } })).toEqual(["auth.oidc.groupClaim: unknown key (check its spelling against the example config)"]);
  });

  it("localAccounts is `all` or a non-empty list of user names", () => {
    expect(parseConfig(withAuth({ localAccounts: ["admin", "breakglass"] }), "/tmp/ha.config.yaml", ENV).auth.localAccounts).toEqual(["admin", "breakglass"]);
    expect(problems({ localAccounts: [] })[0]).toMatch(/^auth\.localAccounts: expected `all` or a list of at least one user name/);
    expect(problems({ localAccounts: "none" })[0]).toMatch(/^auth\.localAccounts: expected `all` or a list of user names/);
    expect(problems({ localAccounts: ["Admin"] })[0]).toMatch(/^auth\.localAccounts\[0\]: expected a lower-case user name/);
  });
});

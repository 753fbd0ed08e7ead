import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { ConfigError, parseConfig } from "./load";

/** The `auth:` section: defaults, the example's values, and bad values reported by path. */

const EXAMPLE_PATH = fileURLToPath(new URL("../../ha.config.example.yaml", import.meta.url));
const ENV = { NODE_ENV: "test", HA_PG_PASSWORD: "a", HA_REDIS_PASSWORD: "b", HA_HAPROXY_PASSWORD: "c", HA_PATRONI_PASSWORD: "d", HA_SENTINEL_PASSWORD: "e", HA_WEBHOOK_SECRET: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" } as NodeJS.ProcessEnv;
const MINIMAL = "version: 1\n";

function problems(yaml: string): string[] {
  try {
    parseConfig(yaml, "/tmp/ha.config.yaml", ENV);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error("expected the config to be refused");
}

const withAuth = (auth: unknown) => stringify({ version: 1, auth });

describe("auth settings", () => {
  it("default to 30 idle minutes, 12 hours absolute, 5 failures per account and 50 per address in 5 minutes", () => {
    const cfg = parseConfig(MINIMAL, "/tmp/ha.config.yaml", ENV);
    expect(cfg.auth).toEqual({
      idleTimeoutMinutes: 30,
      absoluteTimeoutHours: 12,
      trustedOrigins: [],
      trustedProxies: [],
      reauthWindowMinutes: 5,
      loginRateLimit: { windowSeconds: 300, maxFailuresPerAccount: 5, maxFailuresPerAddress: 50 },
      users: [],
      localAccounts: "all",
    });
  });

  it("the example config spells out the defaults", () => {
    const text = readFileSync(EXAMPLE_PATH, "utf8");
    expect(parse(text).auth).toMatchObject({ idleTimeoutMinutes: 30, absoluteTimeoutHours: 12 });
    expect(parseConfig(text, EXAMPLE_PATH, ENV).auth).toEqual(parseConfig(MINIMAL, "/tmp/ha.config.yaml", ENV).auth);
  });

  it("takes trusted proxies as IPv4 and IPv6 CIDRs, and names the field of a bad one", () => {
    const cfg = parseConfig(withAuth({ trustedProxies: ["10.0.0.5", "10.1.0.0/16", "fd00::/64", "::1"] }), "/tmp/ha.config.yaml", ENV);
    expect(cfg.auth.trustedProxies).toEqual(["10.0.0.5", "10.1.0.0/16", "fd00::/64", "::1"]);
    expect(problems(withAuth({ trustedProxies: ["10.0.0.0/33"] }))).toEqual([
      'auth.trustedProxies[0]: "10.0.0.0/33": the prefix length must be 0-32; expected a CIDR such as 10.0.0.0/24 or fd00::/64',
    ]);
    expect(problems(withAuth({ trustedProxies: ["proxy.example.com"] }))[0]).toMatch(/^auth\.trustedProxies\[0\]: "proxy.example.com" does not start with an IPv4 or IPv6 address/);
    expect(problems(withAuth({ trustedProxies: "10.0.0.0/8" }))[0]).toMatch(/^auth\.trustedProxies: /);
  });

  it("takes other timeouts", () => {
    const cfg = parseConfig(withAuth({ idleTimeoutMinutes: 5, absoluteTimeoutHours: 0.5 }), "/tmp/ha.config.yaml", ENV);
    expect([cfg.auth.idleTimeoutMinutes, cfg.auth.absoluteTimeoutHours]).toEqual([5, 0.5]);
  });

  it("refuses an idle limit longer than the absolute one, and nonsense values, by path", () => {
    expect(problems(withAuth({ idleTimeoutMinutes: 120, absoluteTimeoutHours: 1 }))).toEqual(["auth.idleTimeoutMinutes: idleTimeoutMinutes must not exceed absoluteTimeoutHours"]);
    expect(problems(withAuth({ idleTimeoutMinutes: 0 }))[0]).toMatch(/^auth\.idleTimeoutMinutes: /);
    expect(problems(withAuth({ loginRateLimit: { maxFailuresPerAccount: 0 } }))[0]).toMatch(/^auth\.loginRateLimit\.maxFailuresPerAccount: /);
    expect(problems(withAuth({ baseURL: "https://noc.example.com/app" }))).toEqual(["auth.baseURL: expected an origin such as https://noc.example.com (no path)"]);
    expect(problems(withAuth({ idleTimout: 5 }))).toEqual(["auth.idleTimout: unknown key (check its spelling against the example config)"]);
  });

  it("seed users need a secret-referenced password, a known role and distinct names", () => {
    expect(problems(withAuth({ users: [{ username: "ann", role: "viewer", password: "plain" }] }))[0]).toMatch(/^auth\.users\[0\]\.password: expected a secret reference/);
    expect(problems(withAuth({ users: [{ username: "ann", role: "root", password: { env: "X" } }] }))[0]).toBe("auth.users[0].role: expected one of viewer, operator, approver, admin");
    expect(problems(withAuth({ users: [{ username: "Ann", role: "viewer", password: { env: "X" } }] }))[0]).toMatch(/^auth\.users\[0\]\.username: expected a lower-case user name/);
    const twice = { users: [{ username: "ann", role: "viewer", password: { env: "HA_PG_PASSWORD" } }, { username: "ann", role: "admin", password: { env: "HA_PG_PASSWORD" } }] };
    expect(problems(withAuth(twice))).toEqual(["auth.users: a username is listed twice"]);
  });

  it("a seed user's password is resolved as a Secret and never serialised", () => {
    const cfg = parseConfig(withAuth({ users: [{ username: "ann", role: "admin", password: { env: "HA_PG_PASSWORD" } }] }), "/tmp/ha.config.yaml", { ...ENV, HA_PG_PASSWORD: "ann-S3cret-pw" });
    expect(cfg.auth.users[0]!.password.reveal()).toBe("ann-S3cret-pw");
    expect(JSON.stringify(cfg)).not.toContain("ann-S3cret-pw");
  });
});

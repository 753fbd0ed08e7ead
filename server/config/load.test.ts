import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { inspect } from "node:util";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { labDashboardConfigYaml } from "../../e2e/lab/dashboard-config";
import { SECRET_FILES } from "../../e2e/lab/topology";
import { ConfigError, Secret, configPathFromEnv, loadConfig, parseConfig, type Config } from "./load";
import { SEED_COMPONENTS } from "./schema";

const EXAMPLE_PATH = fileURLToPath(new URL("../../ha.config.example.yaml", import.meta.url));
const EXAMPLE_TEXT = readFileSync(EXAMPLE_PATH, "utf8");
/** An explicit environment (Next's typings make NODE_ENV a required key of ProcessEnv). */
const envOf = (vars: Record<string, string> = {}): NodeJS.ProcessEnv => ({ NODE_ENV: "test", ...vars });
/** Distinctive values, so a leak is unmistakable in serialised output. */
const EXAMPLE_VARS = {
  HA_PG_PASSWORD: "pg-S3cret-value-41",
  HA_REDIS_PASSWORD: "redis-S3cret-value-42",
  HA_HAPROXY_PASSWORD: "haproxy-S3cret-value-43",
  HA_PATRONI_PASSWORD: "patroni-S3cret-value-44",
  HA_SENTINEL_PASSWORD: "sentinel-S3cret-value-45",
  HA_WEBHOOK_SECRET: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
};
const EXAMPLE_ENV = envOf(EXAMPLE_VARS);

const tmpDirs: string[] = [];
function tmpDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "ha-config-test-"));
  tmpDirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of tmpDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The problems of the ConfigError that `f` throws; fails the test if it throws nothing or something else. */
function problemsOf(f: () => unknown): string[] {
  try {
    f();
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error("expected a ConfigError, but the config was accepted");
}

/** The example config as a plain object, changed by `mutate`, then validated. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function parseExampleWith(mutate: (doc: any) => void, env: NodeJS.ProcessEnv = EXAMPLE_ENV): Config {
  const doc = parse(EXAMPLE_TEXT);
  mutate(doc);
  return parseConfig(stringify(doc), path.join(tmpDir(), "ha.config.yaml"), env);
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const exampleProblems = (mutate: (doc: any) => void, env?: NodeJS.ProcessEnv) => problemsOf(() => parseExampleWith(mutate, env));

describe("ha.config.example.yaml", () => {
  it("validates and describes the seed's production topology", () => {
    const cfg = parseConfig(EXAMPLE_TEXT, EXAMPLE_PATH, EXAMPLE_ENV);

    expect(cfg.version).toBe(1);
    expect(cfg.sla.system).toBe(99.99);
    expect(cfg.defaults).toEqual({ intervalMs: 1000, timeoutMs: 800, rise: 2, fall: 3 });
    expect(cfg.components).toEqual(SEED_COMPONENTS);

    expect(cfg.clusters).toHaveLength(1);
    const pg = cfg.clusters[0]!;
    expect(pg.id).toBe("hft_trading");
    expect(pg.scope).toBe("hft_trading");
    expect(pg.nodes.map((n) => n.rest)).toEqual(["http://10.0.1.40:8008", "http://10.0.1.41:8008", "http://10.0.1.42:8008"]);
    for (const n of pg.nodes) {
      expect(new URL(n.dsn).password).toBe("");
      expect(n.password).toBeInstanceOf(Secret);
      expect(n.password!.reveal()).toBe(EXAMPLE_VARS.HA_PG_PASSWORD);
    }

    expect(cfg.sentinels).toHaveLength(1);
    expect(cfg.sentinels[0]!.sentinels).toHaveLength(3);
    expect(cfg.redis.map((r) => new URL(r.url).hostname)).toEqual(["10.0.1.50", "10.0.1.51"]);

    expect(pg.restUsername).toBe("patroni");
    expect(pg.restPassword!.reveal()).toBe(EXAMPLE_VARS.HA_PATRONI_PASSWORD);
    expect(cfg.sentinels[0]).toMatchObject({ username: "hacr-monitor", sentinelUsername: "hacr-dashboard" });
    expect(cfg.sentinels[0]!.sentinelPassword!.reveal()).toBe(EXAMPLE_VARS.HA_SENTINEL_PASSWORD);
    expect(cfg.redis.map((r) => new URL(r.url).username)).toEqual(["hacr-monitor", "hacr-monitor"]);

    expect(cfg.haproxy[0]!.statsUrl).toBe("http://10.0.1.60:8404/stats;csv");
    expect(cfg.haproxy[0]!.username).toBe("admin");
    expect(cfg.haproxy[0]!.password!.reveal()).toBe(EXAMPLE_VARS.HA_HAPROXY_PASSWORD);

    expect(cfg.vrrp.map((v) => [v.instance, v.virtualRouterId, v.vips])).toEqual([
      ["VI_TRADING", 51, ["10.0.1.100"]],
      ["VI_DATABASE", 52, ["10.0.1.101"]],
    ]);
    for (const v of cfg.vrrp) {
      expect(v.nodes.map((n) => n.name)).toEqual(["hft-primary", "hft-standby"]);
      for (const n of v.nodes) expect(n.stateFile).toMatch(/^\/var\/lib\/ha-control-room\/vrrp\//);
    }

    expect(cfg.http.map((h) => h.component)).toEqual(
      expect.arrayContaining(["trading-engine", "order-management", "risk-engine"]),
    );
    expect(cfg.http.map((h) => h.url)).toContain("http://10.0.1.10:8080/health");
    expect(cfg.http.every((h) => h.expectStatus === 200)).toBe(true);

    expect(cfg.tcp.map((t) => t.address)).toEqual(["10.0.1.10:5555", "10.0.1.11:5555", "10.0.1.12:5555"]);
    expect(cfg.tcp.every((t) => t.send === "PING\r\n" && t.expect === "PONG")).toBe(true);

    expect(cfg.marketData).toHaveLength(1);
    expect(cfg.marketData[0]).toMatchObject({ redis: cfg.sentinels[0]!.id, key: "last_market_update", maxAgeSeconds: 5 });
  });

  it("writes no secret inline: no user:password@ URL and every password is an {env:} or {file:} reference", () => {
    const strings: string[] = [];
    const walk = (v: unknown): void => {
      if (typeof v === "string") strings.push(v);
      else if (v && typeof v === "object") Object.values(v).forEach(walk);
    };
    walk(parse(EXAMPLE_TEXT));
    const urls = strings.filter((s) => /^[a-z]+:\/\//.test(s));
    expect(urls.length).toBeGreaterThan(10);
    for (const u of urls) expect(new URL(u).password, u).toBe("");
    const passwordLines = EXAMPLE_TEXT.split("\n").filter((l) => /^\s*(password|sentinelPassword|restPassword):/.test(l));
    expect(passwordLines.length).toBeGreaterThan(0);
    for (const l of passwordLines) expect(l).toMatch(/:\s*\{\s*(env|file):/);
  });

  it("names every environment variable it needs when none is set", () => {
    const problems = problemsOf(() => parseConfig(EXAMPLE_TEXT, EXAMPLE_PATH, envOf()));
    const missing = new Set(problems.map((p) => /environment variable (\w+) is not set/.exec(p)?.[1]));
    expect(missing).toEqual(new Set(Object.keys(EXAMPLE_VARS)));
  });

  it("never serialises a resolved secret: JSON and inspect show [redacted]", () => {
    const cfg = parseConfig(EXAMPLE_TEXT, EXAMPLE_PATH, EXAMPLE_ENV);
    const json = JSON.stringify(cfg);
    const inspected = inspect(cfg, { depth: null });
    for (const value of Object.values(EXAMPLE_VARS)) {
      expect(json).not.toContain(value);
      expect(inspected).not.toContain(value);
    }
    expect(json).toContain('"password":"[redacted]"');
    expect(inspected).toContain("[redacted]");
    expect(`${cfg.haproxy[0]!.password}`).toBe("[redacted]");
  });
});

describe("the lab's generated config", () => {
  function writeLab(withSecret: boolean): string {
    const dir = tmpDir();
    const file = path.join(dir, "ha.config.yaml");
    writeFileSync(file, labDashboardConfigYaml());
    // The demo users' password files (auth.users); these tests are about the PostgreSQL secret.
    mkdirSync(path.join(dir, "demo-users"));
    for (const u of ["viewer", "operator", "approver", "admin"]) writeFileSync(path.join(dir, "demo-users", `${u}-password`), `demo-${u}-password\n`);
    mkdirSync(path.join(dir, "oidc"));
    writeFileSync(path.join(dir, "oidc", "client-secret"), "sso-client-secret\n");
    if (withSecret) {
      mkdirSync(path.join(dir, "secrets"));
      for (const name of Object.keys(SECRET_FILES)) writeFileSync(path.join(dir, "secrets", name), `lab-${name}-file-secret\n`);
    }
    return file;
  }

  it("validates when its secret file exists, reading the file relative to the config", () => {
    const file = writeLab(true);
    const cfg = parseConfig(readFileSync(file, "utf8"), file, envOf());
    expect(cfg.clusters[0]!.nodes).toHaveLength(3);
    // The trailing newline of the secret file is not part of the password.
    for (const n of cfg.clusters[0]!.nodes) expect(n.password!.reveal()).toBe("lab-pg-password-file-secret");
    // The monitored components' credentials come from their files too.
    expect(cfg.clusters[0]!.restPassword!.reveal()).toBe("lab-patroni-rest-password-file-secret");
    expect(cfg.sentinels[0]!.sentinelPassword!.reveal()).toBe("lab-sentinel-password-file-secret");
    expect(cfg.sentinels[0]!.password!.reveal()).toBe("lab-redis-monitor-password-file-secret");
    for (const r of cfg.redis) expect(r.password!.reveal()).toBe("lab-redis-monitor-password-file-secret");
    expect(cfg.haproxy[0]!.password!.reveal()).toBe("lab-haproxy-stats-password-file-secret");
    expect(JSON.stringify(cfg)).not.toMatch(/file-secret/);
    // The lab omits `components` and `sla`: the seed's table applies.
    expect(cfg.components).toEqual(SEED_COMPONENTS);
    expect(cfg.sla.system).toBe(99.99);
  });

  it("loads from disk with loadConfig too", () => {
    const file = writeLab(true);
    expect(loadConfig(file, envOf()).marketData[0]!.key).toBe("last_market_update");
  });

  it("fails naming the secret file when it is missing", () => {
    const file = writeLab(false);
    const problems = problemsOf(() => parseConfig(readFileSync(file, "utf8"), file, envOf()));
    const missing = (at: string, name: string) =>
      `${at}: cannot read secret file ${path.join(path.dirname(file), "secrets", name)} (ENOENT); create it or fix the path (relative to the config file)`;
    expect([...problems].sort()).toEqual([
      ...[0, 1, 2].map((i) => missing(`clusters[0].nodes[${i}].password`, "pg-password")),
      missing("clusters[0].restPassword", "patroni-rest-password"),
      missing("haproxy[0].password", "haproxy-stats-password"),
      missing("redis[0].password", "redis-monitor-password"),
      missing("redis[1].password", "redis-monitor-password"),
      missing("sentinels[0].password", "redis-monitor-password"),
      missing("sentinels[0].sentinelPassword", "sentinel-password"),
    ].sort());
  });
});

describe("defaults", () => {
  it("an omitted components section gets the seed's 8 components; sla.system defaults to 99.99", () => {
    const cfg = parseConfig("version: 1\n", "/nonexistent/ha.config.yaml", envOf());
    expect(cfg.components).toHaveLength(8);
    expect(cfg.components.map((c) => c.id)).toEqual([
      "trading-engine", "order-management", "risk-engine", "market-data-gateway",
      "database", "cache", "load-balancer", "network",
    ]);
    expect(cfg.components.find((c) => c.id === "trading-engine")!.sla).toBe(99.995);
    expect(cfg.components.find((c) => c.id === "network")!.sla).toBe(99.999);
    expect(cfg.sla.system).toBe(99.99);
    expect(cfg.defaults).toEqual({ intervalMs: 1000, timeoutMs: 800, rise: 2, fall: 3 });
    expect(cfg.clusters).toEqual([]);
    expect(cfg.title).toBe("HA Control Room");
  });

  it("targets may reference the default components", () => {
    const cfg = parseExampleWith((d) => {
      delete d.components;
      delete d.sla;
    });
    expect(cfg.components).toEqual(SEED_COMPONENTS);
    expect(cfg.sla.system).toBe(99.99);
  });

  it("a listed components section replaces the seed table, so references must resolve against it", () => {
    const problems = exampleProblems((d) => {
      d.components = [{ id: "database", name: "DB", layer: "data", sla: 99.9 }];
    });
    expect(problems).toContain(
      'http[0].component: unknown component "trading-engine"; expected one of database',
    );
    expect(problems.some((p) => p.startsWith("clusters[0].component"))).toBe(false);
  });
});

describe("alerting", () => {
  it("the example routes approvals and criticals to the pager and everything to Alertmanager", () => {
    const a = parseExampleWith(() => {}).alerting!;
    expect(a.receivers.map((r) => `${r.name}:${r.type}`)).toEqual(["alertmanager:alertmanager", "noc-pager:webhook"]);
    expect(a.route.routes.map((r) => r.receiver)).toEqual(["noc-pager", "noc-pager"]);
    expect(a.watchdog).toBe(true);
  });

  it("a route to an unknown receiver is named with the receivers there are", () => {
    expect(exampleProblems((d) => (d.alerting.route.routes[0].receiver = "pagr"))).toEqual([
      'alerting.route.routes[0].receiver: unknown receiver "pagr"; expected one of alertmanager, noc-pager',
    ]);
  });

  it("credentials in a receiver URL are refused: they would be logged with it", () => {
    expect(exampleProblems((d) => (d.alerting.receivers[0].url = "http://am:pw@10.0.5.10:9093"))).toEqual([
      "alerting.receivers[0].url: credentials are written in the URL; move them to basicAuth: { username, password: { env: VAR } }",
    ]);
  });

  it("a signing secret that is not whsec_ + base64 is named", () => {
    const problems = exampleProblems(() => {}, envOf({ ...EXAMPLE_VARS, HA_WEBHOOK_SECRET: "hunter2" }));
    expect(problems).toEqual([expect.stringMatching(/^alerting\.receivers\[1\]\.secrets\[0\]: expected a Standard Webhooks secret/)]);
  });

  it("a receiver of an unknown type, a duplicate name, a third secret", () => {
    expect(exampleProblems((d) => (d.alerting.receivers[1].type = "email"))).toEqual([expect.stringMatching(/^alerting\.receivers\[1\]/)]);
    expect(exampleProblems((d) => (d.alerting.receivers[1].name = "alertmanager"))).toContain('alerting.receivers[1].name: duplicate receiver name "alertmanager"');
    expect(exampleProblems((d) => (d.alerting.receivers[1].secrets = [{ env: "A" }, { env: "B" }, { env: "C" }]))).toEqual([
      "alerting.receivers[1].secrets: at most two secrets (the old and the new while rotating)",
    ]);
  });
});

describe("bad files fail with the field path", () => {
  it("missing required field", () => {
    const problems = exampleProblems((d) => delete d.clusters[0].nodes[0].rest);
    expect(problems).toEqual(["clusters[0].nodes[0].rest: required, expected a URL such as http://10.0.1.40:8008"]);
  });

  it("missing version", () => {
    expect(exampleProblems((d) => delete d.version)).toEqual(["version: expected `version: 1`"]);
  });

  it("wrong type is reported as a wrong type, not as missing", () => {
    const problems = exampleProblems((d) => (d.defaults.intervalMs = "fast"));
    expect(problems).toEqual(["defaults.intervalMs: expected number, received string"]);
  });

  it("a section of the wrong shape", () => {
    expect(exampleProblems((d) => (d.http = { id: "x" }))).toEqual(["http: expected array, received object"]);
  });

  it("bad URL", () => {
    const problems = exampleProblems((d) => (d.clusters[0].nodes[2].rest = "10.0.1.42:8008"));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain("clusters[0].nodes[2].rest: expected a URL");
  });

  it("a URL of the wrong protocol", () => {
    const problems = exampleProblems((d) => (d.http[0].url = "ftp://10.0.1.10/health"));
    expect(problems).toEqual(["http[0].url: expected a URL such as http://10.0.1.40:8008"]);
  });

  it("host:port without a port is one clear problem", () => {
    expect(exampleProblems((d) => (d.tcp[0].address = "10.0.1.10"))).toEqual([
      "tcp[0].address: expected host:port such as 10.0.1.50:26379",
    ]);
    expect(exampleProblems((d) => (d.tcp[0].address = "10.0.1.10:70000"))).toEqual([
      "tcp[0].address: port must be at most 65535",
    ]);
  });

  it("an out-of-range value", () => {
    expect(exampleProblems((d) => (d.vrrp[1].virtualRouterId = 300))).toEqual(["vrrp[1].virtualRouterId: virtual_router_id is 1..255"]);
    expect(exampleProblems((d) => (d.sla.system = 100))).toEqual([
      "sla.system: expected a percentage below 100 (100% allows no downtime at all)",
    ]);
  });

  it("a value outside an enum lists the choices", () => {
    expect(exampleProblems((d) => (d.components[0].layer = "app"))).toEqual([
      'components[0].layer: expected one of "application"|"data"|"network"',
    ]);
  });

  it("unknown section", () => {
    const problems = exampleProblems((d) => (d.mongodb = [{ id: "mongo", component: "database" }]));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^mongodb: unknown section; expected one of .*\bclusters\b.*\bmarketData\b/);
  });

  it("unknown key inside an object", () => {
    const problems = exampleProblems((d) => (d.clusters[0].nodes[1].restUrl = "http://10.0.1.41:8008"));
    expect(problems).toEqual(["clusters[0].nodes[1].restUrl: unknown key (check its spelling against the example config)"]);
  });

  it("haproxy without a stats source", () => {
    expect(exampleProblems((d) => delete d.haproxy[0].statsUrl)).toEqual([
      "haproxy[0]: give statsUrl (the CSV stats page) or statsSocket (the admin socket path)",
    ]);
  });

  it("a component's username without its password, or the reverse, names the missing half", () => {
    expect(exampleProblems((d) => delete d.clusters[0].restPassword)).toEqual([
      "clusters[0].restPassword: give both restUsername and restPassword (Patroni's restapi.authentication), or neither",
    ]);
    expect(exampleProblems((d) => delete d.clusters[0].restUsername)).toEqual([
      "clusters[0].restPassword: give both restUsername and restPassword (Patroni's restapi.authentication), or neither",
    ]);
    expect(exampleProblems((d) => delete d.sentinels[0].sentinelPassword)).toEqual([
      "sentinels[0].sentinelPassword: sentinelUsername needs sentinelPassword: { env: VAR } or { file: path }",
    ]);
    expect(exampleProblems((d) => delete d.sentinels[0].password)).toEqual([
      "sentinels[0].password: a username needs its password: add password: { env: VAR } or { file: path }",
    ]);
    expect(exampleProblems((d) => delete d.haproxy[0].password)).toEqual([
      "haproxy[0].password: give both username and password (HAProxy's stats auth), or neither",
    ]);
    expect(exampleProblems((d) => (d.clusters[0].restPassword = "inline-pw"))).toEqual([
      "clusters[0].restPassword: expected a secret reference: { env: VAR_NAME } or { file: path/to/file }",
    ]);
  });

  it("reports every schema problem at once", () => {
    const problems = exampleProblems((d) => {
      delete d.clusters[0].nodes[0].rest;
      d.defaults.timeoutMs = "slow";
      d.extra = true;
    });
    expect(problems).toHaveLength(3);
    expect(problems.map((p) => p.split(":")[0]).sort()).toEqual(["clusters[0].nodes[0].rest", "defaults.timeoutMs", "extra"]);
  });

  it("duplicate ids across sections", () => {
    const problems = exampleProblems((d) => (d.tcp[0].id = "te1-health"));
    expect(problems).toEqual([
      'tcp[0].id: duplicate id "te1-health" (already used by http[0]); ids must be unique across all sections',
    ]);
  });

  it("duplicate component ids and member names", () => {
    const problems = exampleProblems((d) => {
      d.components[7].id = "trading-engine";
      d.clusters[0].nodes[2].name = "postgres1";
    });
    expect(problems).toContain('components[7].id: duplicate component id "trading-engine"');
    expect(problems).toContain('clusters[0].nodes[2].name: duplicate member name "postgres1"');
  });

  it("unknown component reference", () => {
    const problems = exampleProblems((d) => (d.http[3].component = "oms"));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^http\[3\]\.component: unknown component "oms"; expected one of trading-engine, order-management/);
  });

  it("marketData.redis referencing nothing", () => {
    const problems = exampleProblems((d) => (d.marketData[0].redis = "redis-99"));
    expect(problems).toEqual(['marketData[0].redis: "redis-99" is not the id of a sentinels group or redis instance']);
  });

  it("marketData.redis may name a redis instance instead of a sentinel group", () => {
    expect(parseExampleWith((d) => (d.marketData[0].redis = "redis-51")).marketData[0]!.redis).toBe("redis-51");
  });

  it("an inline password in a DSN is refused with a hint, without echoing the password", () => {
    const problems = exampleProblems((d) => (d.clusters[0].nodes[0].dsn = "postgres://monitor:Inl1nePw@10.0.1.40:5432/postgres"));
    expect(problems).toEqual([
      "clusters[0].nodes[0].dsn: a password is written inline; move it to `password: { env: VAR }` or `{ file: path }`",
    ]);
    expect(problems.join("\n")).not.toContain("Inl1nePw");
  });

  it("an inline password in a redis URL is refused too", () => {
    const problems = exampleProblems((d) => (d.redis[1].url = "redis://:Inl1nePw@10.0.1.51:6379"));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^redis\[1\]\.url: a password is written inline; move it to `password: \{ env: VAR \}`/);
  });

  it("a password written as a plain string is refused", () => {
    const problems = exampleProblems((d) => (d.haproxy[0].password = "hft_stats_2025"));
    expect(problems).toEqual(["haproxy[0].password: expected a secret reference: { env: VAR_NAME } or { file: path/to/file }"]);
  });

  it("missing env var for a secret names the variable", () => {
    const vars: Record<string, string> = { ...EXAMPLE_VARS };
    delete vars.HA_HAPROXY_PASSWORD;
    const problems = exampleProblems(() => {}, envOf(vars));
    expect(problems).toEqual([
      "haproxy[0].password: environment variable HA_HAPROXY_PASSWORD is not set; export it before starting the dashboard",
    ]);
  });

  it("an empty env var counts as not set", () => {
    const problems = exampleProblems(() => {}, envOf({ ...EXAMPLE_VARS, HA_REDIS_PASSWORD: "" }));
    expect(problems).toEqual(
      ["sentinels[0].password", "redis[0].password", "redis[1].password"].map(
        (at) => `${at}: environment variable HA_REDIS_PASSWORD is not set; export it before starting the dashboard`,
      ),
    );
  });

  it("missing secret file", () => {
    const dir = tmpDir();
    const doc = parse(EXAMPLE_TEXT);
    doc.haproxy[0].password = { file: "secrets/haproxy-stats" };
    const file = path.join(dir, "ha.config.yaml");
    const problems = problemsOf(() => parseConfig(stringify(doc), file, EXAMPLE_ENV));
    expect(problems).toEqual([
      `haproxy[0].password: cannot read secret file ${path.join(dir, "secrets", "haproxy-stats")} (ENOENT); create it or fix the path (relative to the config file)`,
    ]);
  });

  it("YAML syntax error", () => {
    const problems = problemsOf(() => parseConfig("version: 1\nclusters: [\n  { id: a\n", "/x/ha.config.yaml", envOf()));
    expect(problems.length).toBeGreaterThan(0);
    for (const p of problems) expect(p).toMatch(/^YAML syntax: .* at line \d+, column \d+$/);
  });

  it("duplicate YAML keys are a syntax error, not a silent override", () => {
    const problems = problemsOf(() => parseConfig("version: 1\ntitle: a\ntitle: b\n", "/x/ha.config.yaml", envOf()));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^YAML syntax: Map keys must be unique at line 3/);
  });

  it.each([
    ["an empty file", ""],
    ["only comments", "# nothing here yet\n"],
    ["an empty document", "---\n"],
  ])("%s", (_, text) => {
    expect(problemsOf(() => parseConfig(text, "/x/ha.config.yaml", envOf()))).toEqual([
      "the file is empty; start from ha.config.example.yaml",
    ]);
  });

  it("a top-level list instead of a mapping", () => {
    expect(problemsOf(() => parseConfig("- version: 1\n", "/x/ha.config.yaml", envOf()))).toEqual([
      "(top level): expected object, received array",
    ]);
  });

  it("the error message names the file and lists each problem", () => {
    const file = "/etc/ha/ha.config.yaml";
    let err: unknown;
    try {
      parseConfig("version: 2\nbogus: 1\n", file, envOf());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const ce = err as ConfigError;
    expect(ce.file).toBe(file);
    expect(ce.name).toBe("ConfigError");
    expect(ce.message).toBe(`invalid config ${file}:\n${ce.problems.map((p) => `  - ${p}`).join("\n")}`);
    expect(ce.problems).toHaveLength(2);
  });
});

describe("loadConfig", () => {
  it("on a missing file says how to fix it", () => {
    const file = path.join(tmpDir(), "ha.config.yaml");
    let err: unknown;
    try {
      loadConfig(file, envOf());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).file).toBe(file);
    expect((err as ConfigError).problems).toEqual([
      "no such file; copy ha.config.example.yaml to ha.config.yaml or set HA_CONFIG=/path/to/config.yaml",
    ]);
  });

  it("validates what it reads", () => {
    const file = path.join(tmpDir(), "ha.config.yaml");
    writeFileSync(file, "version: 1\nmongodb: []\n");
    const problems = problemsOf(() => loadConfig(file, envOf()));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^mongodb: unknown section/);
  });

  it("finds the file through HA_CONFIG, else ha.config.yaml in the working directory", () => {
    expect(configPathFromEnv(envOf({ HA_CONFIG: "/etc/ha/prod.yaml" }))).toBe("/etc/ha/prod.yaml");
    expect(configPathFromEnv(envOf())).toBe(path.resolve("ha.config.yaml"));
  });
});

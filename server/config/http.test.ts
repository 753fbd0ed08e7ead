import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "./load";

/** The `wall:` and `metrics:` sections. */
const ENV = { NODE_ENV: "test", HA_METRICS_TOKEN: "t0ken" } as NodeJS.ProcessEnv;

function problems(yaml: string): string[] {
  try {
    parseConfig(yaml, "/tmp/ha.config.yaml", ENV);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error("expected the config to be refused");
}

describe("wall and metrics settings", () => {
  it("default: nobody frames the wall; metrics without a token for loopback only", () => {
    const cfg = parseConfig("version: 1\n", "/tmp/ha.config.yaml", ENV);
    expect(cfg.wall).toEqual({ frameAncestors: [] });
    expect(cfg.metrics).toEqual({});
  });

  it("the bearer token is a secret reference, resolved and redacted", () => {
    const cfg = parseConfig("version: 1\nmetrics:\n  public: false\n  bearerToken: { env: HA_METRICS_TOKEN }\n", "/tmp/ha.config.yaml", ENV);
    expect(cfg.metrics.bearerToken?.reveal()).toBe("t0ken");
    expect(JSON.stringify(cfg.metrics)).not.toContain("t0ken");
  });

  it("refuses public: false without a token, an inline token, and a frame ancestor that is not an origin", () => {
    expect(problems("version: 1\nmetrics:\n  public: false\n").join("\n")).toMatch(/metrics\.bearerToken: public: false needs bearerToken/);
    expect(problems("version: 1\nmetrics:\n  bearerToken: hunter2\n").join("\n")).toMatch(/metrics\.bearerToken: expected a secret reference/);
    expect(problems("version: 1\nwall:\n  frameAncestors: ['*']\n").join("\n")).toMatch(/wall\.frameAncestors\[0\]: expected an origin/);
  });
});

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { SRE_WORKBOOK_RULES } from "./burn";
import { ConfigError, parseConfig } from "@/server/config/load";
import { burnRulesOf } from "./config";

const EXAMPLE_TEXT = readFileSync(fileURLToPath(new URL("../../ha.config.example.yaml", import.meta.url)), "utf8");
const ENV = { NODE_ENV: "test", HA_PG_PASSWORD: "x", HA_REDIS_PASSWORD: "y", HA_HAPROXY_PASSWORD: "z", HA_PATRONI_PASSWORD: "p", HA_SENTINEL_PASSWORD: "s", HA_WEBHOOK_SECRET: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" } as NodeJS.ProcessEnv;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function withSla(sla: any) {
  const doc = parse(EXAMPLE_TEXT);
  doc.sla = sla;
  return parseConfig(stringify(doc), "/tmp/ha.config.yaml", ENV);
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function problems(sla: any): string[] {
  try {
    withSla(sla);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error("accepted");
}

describe("sla section", () => {
  it("defaults: 99.99, UTC, no policies, the SRE workbook's burn rules", () => {
    const cfg = withSla({ system: 99.99 });
    expect(cfg.sla.timeZone).toBe("UTC");
    expect(cfg.sla.policies).toEqual({});
    expect(cfg.sla.composition).toBeUndefined();
    expect(burnRulesOf(cfg.sla)).toEqual(SRE_WORKBOOK_RULES);
  });

  it("reads durations, policies and a composition", () => {
    const cfg = withSla({
      system: 99.95,
      timeZone: "Europe/London",
      policies: { default: { maintenance: "exclude" }, components: { database: { countsAsDown: ["DOWN", "STALE"] } } },
      burnRules: [{ name: "fast", severity: "page", factor: 10, longWindow: "2h", shortWindow: "10m" }],
      composition: { serial: ["trading-engine", { name: "data", parallel: ["database", "cache"] }] },
    });
    expect(burnRulesOf(cfg.sla)).toEqual([{ name: "fast", severity: "page", factor: 10, longWindowMs: 7_200_000, shortWindowMs: 600_000 }]);
    expect(cfg.sla.policies.components?.database).toEqual({ countsAsDown: ["DOWN", "STALE"] });
  });

  it("names each bad field", () => {
    expect(problems({ timeZone: "Mars/Olympus" })).toEqual(["sla.timeZone: expected an IANA time zone such as UTC or Europe/London"]);
    expect(problems({ burnRules: [{ name: "x", severity: "page", factor: 2, longWindow: "5m", shortWindow: "1h" }] })).toEqual([
      "sla.burnRules[0].shortWindow: shortWindow must be shorter than longWindow",
    ]);
    expect(problems({ burnRules: [{ name: "x", severity: "page", factor: 2, longWindow: "an hour", shortWindow: "5m" }] })[0]).toMatch(/^sla\.burnRules\[0\]\.longWindow: expected a duration/);
    expect(problems({ policies: { components: { databse: { maintenance: "exclude" } } } })[0]).toMatch(/^sla\.policies\.components\.databse: unknown component "databse"/);
    expect(problems({ composition: { serial: ["database", { parallel: ["cache", "database"] }] } })).toEqual([
      'sla.composition.serial[1].parallel[1]: component "database" appears twice in the composition',
    ]);
  });
});

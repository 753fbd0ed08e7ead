import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { toPrometheus } from "./metrics";
import { labExtras, labSnapshot } from "./metrics-fixtures";
import { promtool } from "./promtool-testing";

/**
 * The shipped Prometheus rules and Grafana dashboard against the exporter: promtool checks and unit-tests
 * the rules, and every metric name either file uses must be one /api/metrics emits, so neither can
 * drift from the exporter silently.
 */

const DOCS = path.join(import.meta.dirname, "../../docs");
const RULES = path.join(DOCS, "prometheus/ha-control-room.rules.yml");
const RULES_TEST = path.join(DOCS, "prometheus/ha-control-room.rules.test.yml");
const DASHBOARD = path.join(DOCS, "grafana/ha-control-room.json");

/** Every family the exporter writes, with every part present. */
const emitted = new Set([...toPrometheus(labSnapshot(), labExtras).matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!));
const namesIn = (expr: string) => [...new Set([...expr.matchAll(/\bha_[a-z0-9_]+/g)].map((m) => m[0]))];

const tmp = mkdtempSync(path.join(tmpdir(), "hacr-promtool-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
const rules = (parse(readFileSync(RULES, "utf8")) as { groups: { name: string; rules: Rule[] }[] }).groups.flatMap((g) => g.rules);

describe("docs/prometheus/ha-control-room.rules.yml", () => {
  it("passes promtool check rules", () => {
    const r = promtool(["check", "rules", RULES]);
    expect(r.output).toContain(`SUCCESS: ${rules.length} rules found`);
    expect(r.code).toBe(0);
  });

  it("passes its unit tests (promtool test rules): the split brain, two Redis masters, a DOWN component, a spent budget and dead letters fire; a healthy lab only has the Watchdog", () => {
    const r = promtool(["test", "rules", RULES_TEST]);
    expect(r.output).toContain("SUCCESS");
    expect(r.code).toBe(0);
  });

  it("its unit tests can fail: a wrong expectation is reported", () => {
    copyFileSync(RULES, path.join(tmp, "ha-control-room.rules.yml"));
    const wrong = readFileSync(RULES_TEST, "utf8").replace('summary: "2 keepalived nodes are MASTER at once', 'summary: "3 keepalived nodes are MASTER at once');
    const file = path.join(tmp, "wrong.test.yml");
    writeFileSync(file, wrong);
    const r = promtool(["test", "rules", file]);
    expect(r.code).not.toBe(0);
    expect(r.output).toContain("HaVrrpTwoMasters");
  });

  it("has the agreed alerts, each with a severity and a summary", () => {
    const names = rules.map((r) => r.alert);
    for (const a of [
      "HaComponentDown", "HaOverallCritical", "HaFindingActive", "HaSlaBudgetLow", "HaSlaBudgetExhausted", "HaVrrpNoMaster",
      "HaVrrpTwoMasters", "HaRedisNoMaster", "HaRedisTwoMasters", "HaNotificationsDeadLettered", "Watchdog",
    ]) expect(names).toContain(a);
    for (const r of rules) {
      expect(["critical", "warning", "info"], r.alert).toContain(r.labels?.severity);
      expect(r.annotations?.summary, r.alert).toBeTruthy();
    }
    expect(rules.find((r) => r.alert === "Watchdog")!.expr.trim()).toBe("vector(1)");
  });

  it("uses only metric names the exporter emits", () => {
    expect(emitted.size).toBeGreaterThan(15);
    for (const r of rules) {
      if (r.alert === "Watchdog") continue;
      const used = namesIn(r.expr);
      expect(used.length, `${r.alert} uses no ha_ metric`).toBeGreaterThan(0);
      expect(used.filter((n) => !emitted.has(n)), r.alert).toEqual([]);
    }
  });
});

interface Target {
  expr?: string;
  refId: string;
  datasource?: { type: string; uid: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  targets?: Target[];
  panels?: Panel[];
  gridPos: { h: number; w: number; x: number; y: number };
}
interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: { name: string; type: string; query: string | { query: string }; definition?: string }[] };
}

describe("docs/grafana/ha-control-room.json", () => {
  const dash = JSON.parse(readFileSync(DASHBOARD, "utf8")) as Dashboard;
  const all = dash.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
  const panels = all.filter((p) => p.type !== "row");
  const exprs = panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr ?? "" })));
  const variables = dash.templating.list;

  it("is a Grafana dashboard with a Prometheus datasource variable every panel and query uses", () => {
    expect(dash.uid).toBe("ha-control-room");
    expect(dash.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(variables.find((v) => v.name === "datasource")).toMatchObject({ type: "datasource", query: "prometheus" });
    expect(new Set(all.map((p) => p.id)).size).toBe(all.length);
    for (const p of panels) {
      expect(p.datasource, p.title).toEqual({ type: "prometheus", uid: "${datasource}" });
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
      for (const t of p.targets!) expect(t.datasource?.uid, p.title).toBe("${datasource}");
      expect(p.gridPos.x + p.gridPos.w, p.title).toBeLessThanOrEqual(24);
    }
  });

  it("every panel query uses only metric names the exporter emits", () => {
    const queries = [...exprs, ...variables.filter((v) => v.type === "query").map((v) => ({ panel: `variable ${v.name}`, expr: typeof v.query === "string" ? v.query : v.query.query }))];
    for (const { panel, expr } of queries) {
      const used = namesIn(expr);
      expect(used.length, `${panel}: ${expr}`).toBeGreaterThan(0);
      expect(used.filter((n) => !emitted.has(n)), `${panel}: ${expr}`).toEqual([]);
    }
  });

  it("shows every family the exporter emits", () => {
    const shown = new Set(exprs.flatMap((e) => namesIn(e.expr)));
    expect([...emitted].filter((n) => !shown.has(n))).toEqual([]);
  });

  it("every panel query is valid PromQL (promtool parses each, with the dashboard variables filled in)", () => {
    const fill = (e: string) => e.replaceAll("$__rate_interval", "1m").replaceAll("$job", ".*").replaceAll("$window", "month");
    const file = path.join(tmp, "dashboard-exprs.rules.yml");
    const doc = { groups: [{ name: "dashboard", rules: exprs.map((e, i) => ({ record: `dashboard:expr_${i}`, expr: fill(e.expr) })) }] };
    writeFileSync(file, JSON.stringify(doc));
    const r = promtool(["check", "rules", file]);
    expect(r.output).toContain(`SUCCESS: ${exprs.length} rules found`);
    expect(r.code).toBe(0);
  });
});

import { describe, expect, it } from "vitest";
import { formatIssues } from "@/server/errors";
import { stringify } from "yaml";
import { ReportQuery, reportQueryInput, reportSearchParams } from "@/lib/sla";
import { parseConfig } from "@/server/config/load";
import { componentSubject, SECOND } from "@/server/sla";
import { csvFileName, reportCsv } from "./csv";
import { buildReport, buildRto, buildTimelines, resolveReportPeriod, type SlaFailover } from "./model";

const T0 = Date.UTC(2026, 10, 10, 12);
const cfg = parseConfig(stringify({ version: 1, components: [{ id: "database", name: 'DB "primary", main', layer: "data", sla: 99.99 }] }), "/tmp/csv.yaml", { NODE_ENV: "test" } as NodeJS.ProcessEnv);

function report(failovers: SlaFailover[] = []) {
  const transitions = [
    { at: T0, subject: componentSubject("database"), toStatus: "UP" as const, instanceId: "A", reason: null },
    { at: T0 + 10 * SECOND, subject: componentSubject("database"), toStatus: "DOWN" as const, instanceId: "A", reason: "=HYPERLINK(\"x\") leader pg1: connection refused" },
    { at: T0 + 22_500, subject: componentSubject("database"), toStatus: "UP" as const, instanceId: "A", reason: "leader pg2" },
  ];
  const runs = [{ instanceId: "A", startedAt: T0, lastSeenAt: T0 + 60 * SECOND }];
  const period = resolveReportPeriod({ period: "month" }, T0 + 60 * SECOND, "UTC");
  const timelines = buildTimelines(cfg, { transitions, runs }, period.from, period.to, T0 + 60 * SECOND);
  return buildReport({ config: cfg, period, components: [], timelines, transitions, stored: [], failovers, now: T0 + 60 * SECOND });
}

describe("reportCsv", () => {
  it("summary: one row per subject, quoted where needed, seconds with ms precision", () => {
    const csv = reportCsv(report(), "summary");
    const lines = csv.split("\r\n");
    expect(lines.at(-1)).toBe("");
    expect(lines[0]!.split(",").slice(0, 4)).toEqual(["period_from", "period_to", "id", "name"]);
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^2026-11-01T00:00:00\.000Z,2026-12-01T00:00:00\.000Z,system,System,99\.99,count,DOWN,/);
    expect(lines[2]).toContain(',database,"DB ""primary"", main",99.99,count,DOWN,');
    const cols = lines[0]!.split(",");
    const db = lines[2]!.replace('"DB ""primary"", main"', "DB").split(",");
    expect(db[cols.indexOf("downtime_s")]).toBe("12.5");
    expect(db[cols.indexOf("allowed_s")]).toBe("259.2");
    expect(db[cols.indexOf("incidents")]).toBe("1");
    expect(db[cols.indexOf("met")]).toBe("false");
    // Everything before the first run this month is unknown.
    expect(Number(db[cols.indexOf("unknown_s")])).toBe((T0 - Date.UTC(2026, 10, 1)) / 1000);
  });

  it("incidents: a reason that looks like a formula is defused", () => {
    const lines = reportCsv(report(), "incidents").split("\r\n");
    expect(lines[1]).toBe(
      `database,"DB ""primary"", main",2026-11-10T12:00:10.000Z,2026-11-10T12:00:22.500Z,false,12.5,0,DOWN,"'=HYPERLINK(""x"") leader pg1: connection refused",leader pg2,UP 10s,UP 37.5s,,,,`,
    );
    expect(csvFileName(report(), "incidents")).toBe("sla-2026-11-incidents.csv");
  });

  it("incidents: the linked failover's id, kind, target and outcome", () => {
    const f: SlaFailover = { id: 7, kind: "patroni_switchover", targetId: "pg-main", state: "succeeded", componentId: "database", executingAt: T0 + 9 * SECOND, finishedAt: T0 + 25 * SECOND };
    const lines = reportCsv(report([f]), "incidents").split("\r\n");
    expect(lines[0]!.split(",").slice(-4)).toEqual(["failover_id", "failover_kind", "failover_target", "failover_state"]);
    expect(lines[1]!.endsWith(",UP 10s,UP 37.5s,7,patroni_switchover,pg-main,succeeded")).toBe(true);
  });
});

describe("report query in a URL", () => {
  it("round-trips, components comma-separated", () => {
    const q = { period: "custom" as const, from: "2026-11-01", to: "2026-11-07", components: ["database", "cache"] };
    const back = ReportQuery.parse(reportQueryInput(reportSearchParams(q)));
    expect(back).toEqual(q);
  });

  it("names the bad field", () => {
    const issues = (p: string) => formatIssues(ReportQuery.safeParse(reportQueryInput(new URLSearchParams(p))).error!, "query").split("; ");
    expect(issues("period=week")).toEqual(["period: expected one of month, quarter, year, custom"]);
    expect(issues("period=month&at=2026-13")[0]).toMatch(/^at: expected a date such as 2026-11/);
    expect(issues("period=custom&from=2026-11-01")).toEqual(["to: a custom period needs `to`"]);
    expect(issues("period=month&from=2026-11-01")).toEqual(["from: `from` is only for period=custom"]);
    expect(issues("period=month&foo=1")[0]).toMatch(/foo/);
  });
});

describe("reportCsv: the RTO tables", () => {
  function withRto() {
    const base = report();
    const transitions = [
      { at: T0 + 10 * SECOND, subject: componentSubject("database"), toStatus: "DOWN" as const, reason: "leader pg1: connection refused", confirmedAt: T0 + 12_400 },
      { at: T0 + 22_500, subject: componentSubject("database"), toStatus: "UP" as const, reason: "leader pg2", confirmedAt: T0 + 23_500 },
    ];
    const rto = buildRto({
      components: [{ id: "database", name: "DB" }],
      units: [{ key: "postgres:main/pg1", kind: "postgres", targetId: "main", component: "database", host: "10.0.0.1" }],
      baseline: [],
      transitions,
      corrections: [{ componentId: "database", suspectedAt: T0 + 10 * SECOND, mode: "server-hardware", note: "=cmd|' /C calc'!A0 the node lost power", correctedAt: T0 + 50 * SECOND, correctedBy: "olga" }],
      from: base.period.from,
      to: base.period.to,
      now: T0 + 60 * SECOND,
    });
    return { ...base, rto };
  }

  it("rto: one row per failure mode with the document's target and the measured p50/max in seconds", () => {
    const lines = reportCsv(withRto(), "rto").split("\r\n");
    const cols = lines[0]!.split(",");
    expect(lines).toHaveLength(1 + 5 + 1);
    const hw = lines.find((l) => l.includes(",server-hardware,"))!.split(",");
    expect([hw[cols.indexOf("target_min_s")], hw[cols.indexOf("target_max_s")], hw[cols.indexOf("incidents")]]).toEqual(["30", "60", "1"]);
    expect([hw[cols.indexOf("detection_p50_s")], hw[cols.indexOf("recovery_max_s")], hw[cols.indexOf("verdict")]]).toEqual(["2.4", "12.5", "met"]);
    const partition = lines.find((l) => l.includes(",network-partition,"))!.split(",");
    expect([partition[cols.indexOf("incidents")], partition[cols.indexOf("verdict")], partition[cols.indexOf("recovery_p50_s")]]).toEqual(["0", "no-data", ""]);
  });

  it("rto_incidents: times, the class the operator set beside the automatic one, and a formula-looking note defused", () => {
    const csv = reportCsv(withRto(), "rto_incidents");
    const [head, row] = csv.split("\r\n");
    expect(head).toBe("component_id,component,suspected_at,confirmed_at,recovered_at,open,worst,detection_s,recovery_s,failure_mode,automatic_mode,evidence,corrected_by,corrected_at,correction_note,cause");
    expect(row).toMatch(/^database,DB,2026-11-10T12:00:10\.000Z,2026-11-10T12:00:12\.400Z,2026-11-10T12:00:22\.500Z,false,DOWN,2\.4,12\.5,server-hardware,database,/);
    expect(row).toContain(",olga,");
    expect(row).not.toMatch(/,=cmd/);
  });
});

import { describe, expect, it } from "vitest";
import type { Snapshot } from "@/lib/snapshot";
import { findingKind, notificationRows, toPrometheus } from "./metrics";
import { healthy, replace, vrrp } from "@/server/health/test-factories";
import { labExtras, labSnapshot } from "./metrics-fixtures";
import { promtool } from "./promtool-testing";

const snap: Snapshot = {
  version: 3,
  at: 1_795_000_000_000,
  title: "t",
  overall: { status: "DEGRADED", reasons: ["database: pg2 lag 7 s"] },
  components: [{ id: "database", name: "Database", layer: "data", sla: 99.99, status: "DEGRADED", suspect: null, since: 0, reasons: [], unitKeys: ["postgres:c1/pg2"] }],
  findings: [{ id: "split-brain:vi-trading", severity: "CRITICAL", title: "x", explanation: "y", subjects: ["vi-trading"], since: 0 }],
  units: [
    { key: "postgres:c1/pg2", kind: "postgres", targetId: "c1", node: "pg2", component: "database", label: 'c1 / "pg2"', status: "DEGRADED", raw: "DOWN", suspect: { status: "DOWN", count: 1, needed: 3, reason: "refused" }, since: 1_794_999_990_000, reason: null, latencyMs: 12, lastProbeAt: 1, data: null },
  ],
  clusters: [
    {
      id: "c1", name: "c1", component: "database", status: "UP", leader: "pg1", syncStandby: "pg2", paused: false, timeline: 4, maxLagSeconds: 5, history: [],
      members: [
        { name: "pg1", role: "leader", state: "running", timeline: 4, host: null, port: null, inRecovery: false, lagBytes: null, lagSeconds: null, patroniLagBytes: null, syncState: null, replicationState: null, status: "UP" },
        { name: "pg2", role: "sync_standby", state: "running", timeline: 4, host: null, port: null, inRecovery: true, lagBytes: 2048, lagSeconds: 7.5, patroniLagBytes: 0, syncState: "sync", replicationState: "streaming", status: "DEGRADED" },
      ],
    },
  ],
  events: [],
  monitor: { startedAt: 0, units: 1, lastEvaluationAt: 1 },
};

describe("toPrometheus", () => {
  const text = toPrometheus(snap);
  it("exposes state sets with exactly one 1 per subject", () => {
    expect(text).toContain('ha_overall_status{status="DEGRADED"} 1');
    expect(text).toContain('ha_overall_status{status="HEALTHY"} 0');
    expect(text.match(/ha_unit_status\{unit="postgres:c1\/pg2".*\} 1/g)).toHaveLength(1);
    expect(text).toContain('ha_unit_suspect{unit="postgres:c1/pg2",suspect="DOWN"} 1');
  });
  it("exposes lag, durations, leader and findings", () => {
    expect(text).toContain('ha_replication_lag_bytes{cluster="c1",member="pg2"} 2048');
    expect(text).toContain('ha_replication_lag_seconds{cluster="c1",member="pg2"} 7.5');
    expect(text).toContain('ha_cluster_leader{cluster="c1",member="pg1"} 1');
    expect(text).toContain('ha_probe_duration_seconds{unit="postgres:c1/pg2",kind="postgres"} 0.012');
    expect(text).toContain('ha_findings{id="split-brain:vi-trading",severity="CRITICAL"} 1');
    expect(text).toContain("ha_unit_last_transition_timestamp_seconds{unit=\"postgres:c1/pg2\"} 1794999990");
  });
  it("every sample line parses as name{labels} value", () => {
    for (const line of text.trim().split("\n").filter((l) => !l.startsWith("#"))) {
      expect(line).toMatch(/^[a-z_]+(\{.*\})? (-?[0-9.e+]+|NaN)$/);
    }
  });
});

/** Every sample as [name, labels text]: the exposition must never repeat one (promtool does not check that). */
const series = (text: string) => text.split("\n").filter((l) => l && !l.startsWith("#")).map((l) => l.slice(0, l.lastIndexOf(" ")));
const rowsOf = (text: string, name: string) => text.split("\n").filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));

describe("toPrometheus: alerting, SLA, VRRP and Redis families", () => {
  const lab = labSnapshot();
  const text = toPrometheus(lab, labExtras);

  it("counts firing alerts per severity, with a zero row for each severity that has none", () => {
    expect(rowsOf(text, "ha_alerts_firing")).toEqual(['ha_alerts_firing{severity="critical"} 2', 'ha_alerts_firing{severity="warning"} 0', 'ha_alerts_firing{severity="info"} 1']);
    expect(rowsOf(toPrometheus(lab, { alerts: [] }), "ha_alerts_firing").map((l) => l.split(" ")[1])).toEqual(["0", "0", "0"]);
  });

  it("ha_notifications_total is a counter by receiver and result", () => {
    expect(text).toContain("# TYPE ha_notifications_total counter");
    expect(text).toContain('ha_notifications_total{receiver="pager",result="dead"} 1');
    expect(text).toContain('ha_notifications_total{receiver="alertmanager",result="delivered"} 12');
  });

  it("notificationRows: every configured receiver starts with every result at 0; a counted receiver no longer configured stays", () => {
    const rows = notificationRows(["am"], [{ receiver: "am", result: "dead", count: 2 }, { receiver: "old", result: "delivered", count: 5 }]);
    expect(rows).toEqual([
      { receiver: "am", result: "delivered", count: 0 },
      { receiver: "am", result: "retried", count: 0 },
      { receiver: "am", result: "dead", count: 2 },
      { receiver: "am", result: "silenced", count: 0 },
      { receiver: "old", result: "delivered", count: 5 },
    ]);
  });

  it("SLA budgets in seconds by component and window, negative when overspent, with the allowance beside them", () => {
    expect(text).toContain('ha_sla_budget_remaining_seconds{component="database",window="month"} -1.5');
    expect(text).toContain('ha_sla_budget_remaining_seconds{component="database",window="rolling30"} 250');
    expect(text).toContain('ha_sla_budget_allowed_seconds{component="database",window="month"} 267.84');
  });

  it("findings by kind: the kind is the id before its subject", () => {
    expect(findingKind("split-brain:vi-trading")).toBe("split-brain");
    expect(findingKind("orphan-primary:c1/pg3")).toBe("orphan-primary");
    expect(rowsOf(text, "ha_finding_active")).toEqual(['ha_finding_active{kind="redis-masters"} 1']);
    expect(rowsOf(toPrometheus(labSnapshot(5, (t) => healthy(t))), "ha_finding_active")).toEqual([]);
  });

  it("VRRP: exactly one state per keepalived node; a split brain shows two MASTER rows", () => {
    for (const node of ["ka1", "ka2"]) expect(rowsOf(text, "ha_vrrp_state").filter((l) => l.includes(`node="${node}"`) && l.endsWith(" 1"))).toHaveLength(1);
    expect(text).toContain('ha_vrrp_state{instance="VI_TRADING",node="ka1",state="MASTER"} 1');
    expect(text).toContain('ha_vrrp_state{instance="VI_TRADING",node="ka2",state="BACKUP"} 1');
    const split = toPrometheus(labSnapshot(5, (t) => replace(healthy(t), vrrp({ ka1: "MASTER", ka2: "MASTER" }, { at: t }))));
    expect(rowsOf(split, "ha_vrrp_state").filter((l) => l.includes('state="MASTER"') && l.endsWith(" 1"))).toHaveLength(2);
    const silent = toPrometheus(labSnapshot(5, (t) => replace(healthy(t), vrrp({ ka1: "UNKNOWN", ka2: "BACKUP" }, { at: t }))));
    expect(silent).toContain('ha_vrrp_state{instance="VI_TRADING",node="ka1",state="UNKNOWN"} 1');
  });

  it("Redis: master/replica per node (slave is replica), unknown while a node does not answer", () => {
    expect(text).toContain('ha_redis_role{component="cache",node="redis1",role="master"} 1');
    expect(text).toContain('ha_redis_role{component="cache",node="redis2",role="master"} 1');
    const ok = toPrometheus(labSnapshot(5, (t) => healthy(t)));
    expect(ok).toContain('ha_redis_role{component="cache",node="redis2",role="replica"} 1');
    const down = labSnapshot(5, (t) => healthy(t));
    down.units = down.units.map((u) => (u.key === "redis:redis2" ? { ...u, data: null } : u));
    expect(rowsOf(toPrometheus(down), "ha_redis_role").filter((l) => l.includes('node="redis2"') && l.endsWith(" 1"))).toEqual(['ha_redis_role{component="cache",node="redis2",role="unknown"} 1']);
  });

  it("a part the route could not read is left out, and a comment line says why", () => {
    const partial = toPrometheus(lab, { notifications: [], omitted: ["ha_alerts_firing: the control store did not answer within 2000 ms"] });
    expect(partial).toContain("# omitted: ha_alerts_firing: the control store did not answer within 2000 ms");
    expect(partial).not.toContain("ha_alerts_firing{");
    expect(partial).not.toContain("ha_sla_budget_remaining_seconds");
  });

  it("no series appears twice", () => {
    const all = series(text);
    expect(all.length).toBeGreaterThan(100);
    expect(all.filter((s, i) => all.indexOf(s) !== i)).toEqual([]);
  });
});

describe("promtool check metrics (the real one)", () => {
  const check = (text: string) => promtool(["check", "metrics"], text);

  it("passes the lab snapshot with every family, the healthy lab without store parts, and a first start", () => {
    const cases = {
      "lab with store parts": toPrometheus(labSnapshot(), labExtras),
      "healthy, store parts omitted": toPrometheus(labSnapshot(20, (t) => healthy(t)), { notifications: [], omitted: ["ha_alerts_firing: the control store failed; see the server log"] }),
      "nothing answered yet": toPrometheus(labSnapshot(0, () => []), { alerts: [], notifications: [], budgets: [] }),
      "the hand-made snapshot": toPrometheus(snap),
    };
    for (const [name, text] of Object.entries(cases)) expect({ name, ...check(text) }).toEqual({ name, code: 0, output: "" });
  });

  it("can fail: it names a counter without _total, a non-base unit and a missing HELP", () => {
    const bad = "# HELP ha_sent x\n# TYPE ha_sent counter\nha_sent 1\n# HELP ha_wait_milliseconds y\n# TYPE ha_wait_milliseconds gauge\nha_wait_milliseconds 3\n# TYPE ha_x gauge\nha_x 1\n";
    const r = check(bad);
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('ha_sent counter metrics should have "_total" suffix');
    expect(r.output).toContain('use base unit "seconds"');
    expect(r.output).toContain("ha_x no help text");
  });
});


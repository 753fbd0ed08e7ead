import { describe, expect, it } from "vitest";
import type { Snapshot } from "@/lib/snapshot";
import { toPrometheus } from "./metrics";

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

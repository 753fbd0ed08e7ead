import { STATUSES } from "@/lib/status";
import type { Snapshot } from "@/lib/snapshot";

/** Prometheus text exposition (format 0.0.4) of a snapshot. Pure. */

const esc = (v: string) => v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
const labels = (l: Record<string, string | undefined>) =>
  `{${Object.entries(l)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}="${esc(v!)}"`)
    .join(",")}}`;

export function toPrometheus(s: Snapshot): string {
  const out: string[] = [];
  const family = (name: string, type: "gauge" | "counter", help: string, rows: [Record<string, string | undefined>, number][]) => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [l, v] of rows) out.push(`${name}${labels(l)} ${Number.isFinite(v) ? v : "NaN"}`);
  };
  const OVERALL = ["HEALTHY", "DEGRADED", "CRITICAL"] as const;
  family("ha_overall_status", "gauge", "1 for the current overall verdict (HEALTHY, DEGRADED, CRITICAL).", OVERALL.map((st) => [{ status: st }, s.overall.status === st ? 1 : 0]));
  family(
    "ha_component_status",
    "gauge",
    "1 for each SLA component's confirmed status.",
    s.components.flatMap((c) => STATUSES.map((st) => [{ component: c.id, status: st }, c.status === st ? 1 : 0] as [Record<string, string>, number])),
  );
  family(
    "ha_unit_status",
    "gauge",
    "1 for each probed unit's confirmed status (after rise/fall hysteresis).",
    s.units.flatMap((u) => STATUSES.map((st) => [{ unit: u.key, kind: u.kind, component: u.component, status: st }, u.status === st ? 1 : 0] as [Record<string, string>, number])),
  );
  family(
    "ha_unit_suspect",
    "gauge",
    "1 while a unit's latest probes disagree with its confirmed status (a change pending hysteresis).",
    s.units.map((u) => [{ unit: u.key, suspect: u.suspect?.status }, u.suspect ? 1 : 0]),
  );
  family(
    "ha_probe_duration_seconds",
    "gauge",
    "Duration of the unit's latest probe.",
    s.units.filter((u) => u.latencyMs !== null).map((u) => [{ unit: u.key, kind: u.kind }, u.latencyMs! / 1000]),
  );
  family(
    "ha_unit_last_transition_timestamp_seconds",
    "gauge",
    "When the unit's confirmed status last changed.",
    s.units.filter((u) => u.since !== null).map((u) => [{ unit: u.key }, Math.round(u.since! / 1000)]),
  );
  const members = s.clusters.flatMap((c) => c.members.map((m) => ({ c, m })));
  family("ha_replication_lag_bytes", "gauge", "Standby replay lag in bytes, from the primary's pg_stat_replication.", members.filter(({ m }) => m.lagBytes !== null).map(({ c, m }) => [{ cluster: c.id, member: m.name }, m.lagBytes!]));
  family("ha_replication_lag_seconds", "gauge", "Standby replay lag in seconds, measured on the standby.", members.filter(({ m }) => m.lagSeconds !== null).map(({ c, m }) => [{ cluster: c.id, member: m.name }, m.lagSeconds!]));
  family("ha_cluster_leader", "gauge", "1 for the member Patroni names leader.", members.map(({ c, m }) => [{ cluster: c.id, member: m.name }, c.leader === m.name ? 1 : 0]));
  family("ha_findings", "gauge", "Active cross-layer findings.", s.findings.map((f) => [{ id: f.id, severity: f.severity }, 1]));
  family("ha_snapshot_timestamp_seconds", "gauge", "When the snapshot was evaluated.", [[{}, Math.round(s.at / 1000)]]);
  return `${out.join("\n")}\n`;
}

import { ALERT_SEVERITIES, NOTIFICATION_RESULTS, type AlertSeverity, type NotificationResult } from "@/lib/alerts";
import { STATUSES } from "@/lib/status";
import type { Snapshot } from "@/lib/snapshot";
import { unitsOfKind } from "@/lib/unit-data";
import { VRRP_STATES } from "@/server/collectors/vrrp";

/** Prometheus text exposition (format 0.0.4) of a snapshot and what the control store adds to it. Pure. */

/** What the scrape adds from outside the snapshot; a part left undefined is omitted, with `omitted` saying why. */
export interface MetricsExtras {
  /** Severities of the alerts firing now (from the control store). */
  alerts?: readonly { severity: AlertSeverity }[];
  /** Notification outcomes counted since the process started. */
  notifications?: readonly { receiver: string; result: NotificationResult; count: number }[];
  /** SLA budgets by component (and the system) and budget window. */
  budgets?: readonly { component: string; window: string; remainingMs: number; allowedMs: number }[];
  /** Why a part is missing, e.g. "control store did not answer within 1500 ms": written as comment lines. */
  omitted?: readonly string[];
}

const esc = (v: string) => v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
const labels = (l: Record<string, string | undefined>) => {
  const set = Object.entries(l).filter(([, v]) => v !== undefined);
  return set.length ? `{${set.map(([k, v]) => `${k}="${esc(v!)}"`).join(",")}}` : "";
};

type Row = [Record<string, string | undefined>, number];

/** Redis says "slave"; the metric says replica, as Redis itself does since 5.0. */
const REDIS_ROLES = ["master", "replica", "unknown"] as const;
const redisRole = (role: string | undefined) => (role === "master" ? "master" : role === "slave" || role === "replica" ? "replica" : "unknown");

/** "split-brain:vi-trading" → "split-brain": a finding's id is its kind and its subject. */
export const findingKind = (id: string) => id.split(":")[0]!;

export function toPrometheus(s: Snapshot, extras: MetricsExtras = {}): string {
  const out: string[] = [];
  const family = (name: string, type: "gauge" | "counter", help: string, rows: Row[]) => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [l, v] of rows) out.push(`${name}${labels(l)} ${Number.isFinite(v) ? v : "NaN"}`);
  };
  for (const why of extras.omitted ?? []) out.push(`# omitted: ${why.replace(/\n/g, " ")}`);
  const OVERALL = ["HEALTHY", "DEGRADED", "CRITICAL"] as const;
  family("ha_overall_status", "gauge", "1 for the current overall verdict (HEALTHY, DEGRADED, CRITICAL).", OVERALL.map((st) => [{ status: st }, s.overall.status === st ? 1 : 0]));
  family(
    "ha_component_status",
    "gauge",
    "1 for each SLA component's confirmed status.",
    s.components.flatMap((c) => STATUSES.map((st) => [{ component: c.id, status: st }, c.status === st ? 1 : 0] as Row)),
  );
  family(
    "ha_unit_status",
    "gauge",
    "1 for each probed unit's confirmed status (after rise/fall hysteresis).",
    s.units.flatMap((u) => STATUSES.map((st) => [{ unit: u.key, kind: u.kind, component: u.component, status: st }, u.status === st ? 1 : 0] as Row)),
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
  const kinds = new Map<string, number>();
  for (const f of s.findings) kinds.set(findingKind(f.id), (kinds.get(findingKind(f.id)) ?? 0) + 1);
  family("ha_finding_active", "gauge", "Active cross-layer findings of each kind (split-brain, redis-masters, orphan-primary, ...).", [...kinds].map(([kind, n]) => [{ kind }, n]));
  family(
    "ha_vrrp_state",
    "gauge",
    "1 for the state each keepalived node reports for its VRRP instance (UNKNOWN when it stopped reporting).",
    unitsOfKind(s, "vrrp").flatMap((u) =>
      (u.data?.nodes ?? []).flatMap((n) => VRRP_STATES.map((st) => [{ instance: u.data!.instance, node: n.name, state: st }, n.state === st ? 1 : 0] as Row)),
    ),
  );
  family(
    "ha_redis_role",
    "gauge",
    "1 for the replication role each Redis node reports (unknown while it does not answer).",
    unitsOfKind(s, "redis").flatMap((u) => REDIS_ROLES.map((r) => [{ component: u.component, node: u.targetId, role: r }, redisRole(u.data?.role) === r ? 1 : 0] as Row)),
  );
  if (extras.alerts) {
    const alerts = extras.alerts;
    family("ha_alerts_firing", "gauge", "Alerts the dashboard has firing now, by severity.", ALERT_SEVERITIES.map((sev) => [{ severity: sev }, alerts.filter((a) => a.severity === sev).length]));
  }
  if (extras.notifications) {
    family(
      "ha_notifications_total",
      "counter",
      "Notifications by receiver and outcome (delivered, retried, dead, silenced) since the dashboard started.",
      extras.notifications.map((n) => [{ receiver: n.receiver, result: n.result }, n.count]),
    );
  }
  if (extras.budgets) {
    const budgets = extras.budgets;
    family(
      "ha_sla_budget_remaining_seconds",
      "gauge",
      "Error budget left in the window by the component's maintenance policy (negative when overspent).",
      budgets.map((b) => [{ component: b.component, window: b.window }, b.remainingMs / 1000]),
    );
    family("ha_sla_budget_allowed_seconds", "gauge", "Error budget the SLA target allows over the whole window.", budgets.map((b) => [{ component: b.component, window: b.window }, b.allowedMs / 1000]));
  }
  family("ha_snapshot_timestamp_seconds", "gauge", "When the snapshot was evaluated.", [[{}, Math.round(s.at / 1000)]]);
  return `${out.join("\n")}\n`;
}

/** Every configured receiver with every result (0 until counted), so rate() and increase() see the first one. */
export function notificationRows(
  receivers: readonly string[],
  counted: readonly { receiver: string; result: NotificationResult; count: number }[],
): { receiver: string; result: NotificationResult; count: number }[] {
  const byKey = new Map(counted.map((c) => [`${c.receiver}\u0000${c.result}`, c]));
  const rows = receivers.flatMap((receiver) => NOTIFICATION_RESULTS.map((result) => ({ receiver, result, count: byKey.get(`${receiver}\u0000${result}`)?.count ?? 0 })));
  const listed = new Set(receivers);
  return [...rows, ...counted.filter((c) => !listed.has(c.receiver))];
}

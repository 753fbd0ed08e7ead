import type { AlertLabels, AlertSeverity, AlertSpec } from "@/lib/alerts";
import type { ComponentHealth, UnitHealth, Verdict } from "@/lib/health";
import type { Status } from "@/lib/status";

/**
 * One alert per SLA component whose CONFIRMED status is not UP. A suspect change (hysteresis not yet
 * satisfied) never notifies: the wall shows it at once, a pager only once it is confirmed.
 */

const ALERT_OF: Record<Exclude<Status, "UP">, { alertname: string; severity: AlertSeverity }> = {
  DOWN: { alertname: "ComponentDown", severity: "critical" },
  DEGRADED: { alertname: "ComponentDegraded", severity: "warning" },
  STALE: { alertname: "ComponentStale", severity: "warning" },
  NO_DATA: { alertname: "ComponentNoData", severity: "warning" },
};

/** Unit kinds whose target id is a Patroni cluster (its page is /clusters/<id>). */
const CLUSTER_KINDS = new Set(["patroni", "postgres", "etcd"]);

/** The page that explains a unit's state. */
export function pageOfUnit(u: Pick<UnitHealth, "kind" | "targetId">): string {
  if (CLUSTER_KINDS.has(u.kind)) return `/clusters/${encodeURIComponent(u.targetId)}`;
  if (u.kind === "redis" || u.kind === "sentinel" || u.kind === "marketdata") return "/redis";
  if (u.kind === "haproxy") return "/haproxy";
  if (u.kind === "vrrp") return "/vrrp";
  return "/";
}

/** The one value all have, else undefined. */
function common<T>(xs: readonly T[]): T | undefined {
  return xs.length > 0 && xs.every((x) => x === xs[0]) ? xs[0] : undefined;
}

/**
 * Labels the given units agree on: `kind`, `cluster` (a Patroni cluster, or a Sentinel group) and
 * `node`. A label they disagree on is left out rather than guessed.
 */
export function unitLabels(units: readonly Pick<UnitHealth, "kind" | "targetId" | "node">[]): Record<string, string> {
  const out: Record<string, string> = {};
  const kind = common(units.map((u) => u.kind));
  if (kind) out.kind = kind;
  const cluster = common(units.map((u) => (CLUSTER_KINDS.has(u.kind) || u.kind === "sentinel" ? u.targetId : undefined)));
  if (cluster) out.cluster = cluster;
  const node = common(units.map((u) => u.node));
  if (node) out.node = node;
  return out;
}

export function componentAlert(c: ComponentHealth, units: readonly UnitHealth[], stable?: ReadonlyMap<string, AlertSpec>): AlertSpec | null {
  // A component nothing in the config monitors reads NO_DATA on the wall; that is the config's
  // choice, not an incident to page for.
  if (c.status === "UP" || c.unitKeys.length === 0) return null;
  const { alertname, severity } = ALERT_OF[c.status];
  const mine = new Set(c.unitKeys);
  const failing = units.filter((u) => mine.has(u.key) && u.status !== "UP");
  // While the component stays in this status its alert keeps the labels it fired with, so a second
  // failing unit updates the alert instead of resolving it and firing another one.
  const before = stable?.get(`${alertname}\0${c.id}`);
  const labels: AlertLabels = before?.labels ?? { alertname, severity, component: c.id, ...unitLabels(failing) };
  const first = failing[0];
  return {
    labels,
    annotations: {
      summary: `${c.name} is ${c.status}`,
      description: c.reasons.length ? c.reasons.join("; ") : `${c.name} is ${c.status}`,
    },
    path: before?.path ?? (first ? pageOfUnit(first) : "/"),
    source: "status",
    startsAt: c.since,
  };
}

/** Keys active status alerts by alertname and component, for `componentAlert`'s label stability. */
export function stableStatusAlerts(active: Iterable<AlertSpec>): Map<string, AlertSpec> {
  const out = new Map<string, AlertSpec>();
  for (const a of active) if (a.source === "status" && a.labels.component) out.set(`${a.labels.alertname}\0${a.labels.component}`, a);
  return out;
}

export function statusAlerts(v: Verdict, active: Iterable<AlertSpec> = []): AlertSpec[] {
  const stable = stableStatusAlerts(active);
  return v.components.flatMap((c) => componentAlert(c, v.units, stable) ?? []);
}

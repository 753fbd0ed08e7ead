import type { AlertSpec } from "@/lib/alerts";
import type { Finding, UnitHealth, Verdict } from "@/lib/health";
import { pageOfUnit, unitLabels } from "./status";

/**
 * Every cross-layer finding is an alert, whatever its severity: a WARNING finding (seen, not yet
 * lasted long enough to rule out a transition) is a warning, a confirmed one critical. `kind` is the
 * finding's kind (its id up to the first colon) and `finding` its id, so two split brains on two
 * VRRP instances are two alerts.
 */

export const findingKind = (id: string) => (id.includes(":") ? id.slice(0, id.indexOf(":")) : id);

export function findingAlert(f: Finding, units: readonly UnitHealth[]): AlertSpec {
  const byKey = new Map(units.map((u) => [u.key, u]));
  const subjects = f.subjects.flatMap((k) => byKey.get(k) ?? []);
  const { cluster, node } = unitLabels(subjects);
  const component = subjects.length && subjects.every((u) => u.component === subjects[0]!.component) ? subjects[0]!.component : undefined;
  return {
    labels: {
      alertname: "Finding",
      severity: f.severity === "CRITICAL" ? "critical" : "warning",
      kind: findingKind(f.id),
      finding: f.id,
      ...(component ? { component } : {}),
      ...(cluster ? { cluster } : {}),
      ...(node ? { node } : {}),
    },
    annotations: { summary: f.title, description: f.explanation },
    path: subjects[0] ? pageOfUnit(subjects[0]) : "/",
    source: "finding",
    startsAt: f.since,
  };
}

export function findingAlerts(v: Verdict): AlertSpec[] {
  return v.findings.map((f) => findingAlert(f, v.units));
}

/** Small builders of verdicts for the alerting tests. Test-only; nothing in the app imports this file. */
import type { ComponentHealth, Finding, UnitHealth, Verdict } from "@/lib/health";
import type { Status } from "@/lib/status";

export const T0 = 1_800_000_000_000;

export function unit(key: string, status: Status, o: Partial<UnitHealth> = {}): UnitHealth {
  const [kind, rest] = key.split(":") as [UnitHealth["kind"], string];
  const [targetId, node] = rest.split("/") as [string, string | undefined];
  return { key, kind, targetId, ...(node ? { node } : {}), component: "database", status, raw: status, suspect: null, since: T0, reason: null, latencyMs: 1, lastProbeAt: T0, ...o };
}

export function component(id: string, status: Status, unitKeys: string[], o: Partial<ComponentHealth> = {}): ComponentHealth {
  return { id, name: id.replace(/(^|-)(\w)/g, (_, s: string, c: string) => `${s ? " " : ""}${c.toUpperCase()}`), layer: "data", sla: 99.99, status, suspect: null, since: T0, reasons: [], unitKeys, ...o };
}

export function finding(id: string, severity: Finding["severity"], subjects: string[], o: Partial<Finding> = {}): Finding {
  return { id, severity, title: `${id} seen`, explanation: `why ${id} is dangerous`, subjects, since: T0, ...o };
}

export function verdict(components: ComponentHealth[], units: UnitHealth[], findings: Finding[] = []): Verdict {
  return { overall: "HEALTHY", since: T0, reasons: [], components, units, findings };
}

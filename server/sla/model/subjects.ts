import type { CompositionConfig } from "@/server/sla/config";
import { type CompositionNode, DAY, type DowntimePolicy, type Feasibility, type Segment, type TimelineStatus, checkFeasibility, resolvePolicy } from "@/server/sla";
import type { Config } from "@/server/config/load";
import { SYSTEM_ID } from "@/lib/sla";
import type { Status } from "@/lib/status";

/** The runtime heartbeats every 5 s: a run seen within two beats of `now` is taken as alive up to now. */
export const LIVE_GRACE_MS = 10_000;
/** How far ahead the wall and /sla list scheduled maintenance. */
export const UPCOMING_MS = 7 * DAY;
export interface SlaSubject {
  id: string;
  name: string;
  kind: "component" | "system";
  targetPercent: number;
  policy: DowntimePolicy;
}

/** What every figure about a subject starts with: who it is and the rules it is measured by. */
export interface SubjectHeader {
  id: string;
  name: string;
  kind: "component" | "system";
  targetPercent: number;
  maintenancePolicy: DowntimePolicy["maintenance"];
  countsAsDown: Status[];
}

export function subjectHeader(s: SlaSubject): SubjectHeader {
  return { id: s.id, name: s.name, kind: s.kind, targetPercent: s.targetPercent, maintenancePolicy: s.policy.maintenance, countsAsDown: s.policy.countsAsDown };
}

/** Every configured component, then the system, with targets and resolved policies. */
export function slaSubjects(config: Config): { components: SlaSubject[]; system: SlaSubject } {
  const policies = config.sla.policies;
  return {
    components: config.components.map((c) => ({ id: c.id, name: c.name, kind: "component", targetPercent: c.sla, policy: resolvePolicy(policies, c.id) })),
    // The system's timeline is already DOWN/not-DOWN by each component's own policy (combineSegments).
    system: { id: SYSTEM_ID, name: "System", kind: "system", targetPercent: config.sla.system, policy: { ...resolvePolicy(policies, SYSTEM_ID), countsAsDown: ["DOWN"] } },
  };
}

/** The configured composition (default: every component in series) with each component's target. */
export function compositionTree(config: Config): CompositionNode {
  const byId = new Map(config.components.map((c) => [c.id, c]));
  const toNode = (n: CompositionConfig): CompositionNode => {
    if (typeof n === "string") {
      const c = byId.get(n)!;
      return { kind: "component", id: c.id, name: c.name, availabilityPercent: c.sla };
    }
    return "serial" in n ? { kind: "serial", name: n.name, children: n.serial.map(toNode) } : { kind: "parallel", name: n.name, children: n.parallel.map(toNode) };
  };
  return toNode(config.sla.composition ?? { name: "system", serial: config.components.map((c) => c.id) });
}

export function feasibilityOf(config: Config): Feasibility {
  return checkFeasibility(compositionTree(config), config.sla.system);
}

/**
 * The system's status over time from its components' timelines, by the composition: a serial group
 * is down when any part is, a parallel group when every part is. A component counts as down by its
 * own policy (`countsAsDown`). Not down but not known either: UNKNOWN (a gap) before NO_DATA.
 * Every segment list must cover [from, end) (buildTimeline's do).
 */
export function combineSegments(tree: CompositionNode, segmentsById: ReadonlyMap<string, readonly Segment[]>, countsAsDown: (id: string) => ReadonlySet<TimelineStatus>, from: number, end: number): Segment[] {
  if (!(end > from)) return [];
  const ids = [...segmentsById.keys()];
  const points = new Set<number>([from, end]);
  for (const segs of segmentsById.values()) for (const s of segs) if (s.start > from && s.start < end) points.add(s.start);
  const sorted = [...points].sort((a, b) => a - b);
  const cursor = new Map(ids.map((id) => [id, 0]));
  const statusAt = (id: string, t: number): TimelineStatus => {
    const segs = segmentsById.get(id);
    if (!segs) return "UNKNOWN";
    let i = cursor.get(id)!;
    while (i < segs.length && segs[i]!.end <= t) i++;
    cursor.set(id, i);
    const s = segs[i];
    return s && s.start <= t ? s.status : "UNKNOWN";
  };
  const out: Segment[] = [];
  for (let k = 0; k + 1 < sorted.length; k++) {
    const a = sorted[k]!;
    const b = sorted[k + 1]!;
    const status = evalTree(tree, (id) => {
      const s = statusAt(id, a);
      return countsAsDown(id).has(s) ? "DOWN" : s;
    });
    const last = out[out.length - 1];
    if (last && last.status === status && last.end === a) last.end = b;
    else out.push({ start: a, end: b, status });
  }
  return out;
}

const SERIAL_ORDER: TimelineStatus[] = ["DOWN", "UNKNOWN", "NO_DATA", "STALE", "DEGRADED", "UP"];

function evalTree(node: CompositionNode, leaf: (id: string) => TimelineStatus): TimelineStatus {
  if (node.kind === "component") return leaf(node.id);
  const parts = node.children.map((c) => evalTree(c, leaf));
  if (node.kind === "serial") {
    for (const s of SERIAL_ORDER) if (parts.includes(s)) return s;
    return "UP";
  }
  const serving = parts.filter((s) => s === "UP" || s === "DEGRADED" || s === "STALE");
  if (serving.length > 0) return serving.length === parts.length && parts.every((s) => s === "UP") ? "UP" : "DEGRADED";
  if (parts.every((s) => s === "DOWN")) return "DOWN";
  return parts.includes("UNKNOWN") ? "UNKNOWN" : "NO_DATA";
}

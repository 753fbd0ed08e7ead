import { addressOf, judgeOptionsOf } from "@/server/collectors/registry";
import { unitsFromConfig } from "@/server/scheduler/units";
import { DEFAULT_JUDGE_OPTIONS, type JudgeOptions, type NodeAddress } from "./topology";
import type { HealthConfig, HealthKind } from "./types";

/** One unit the config asks to be probed: the scheduler's unit, with what its verdict needs. */
export interface UnitDef {
  key: string;
  kind: HealthKind;
  targetId: string;
  node?: string;
  component: string;
  intervalMs: number;
  judge: JudgeOptions;
  /** host:port the unit talks to, when it is a data node (postgres from the DSN, redis from the URL). */
  address: string | null;
}

/** A cluster's PostgreSQL nodes as the cross-layer checks need them. */
export interface ClusterTopology {
  id: string;
  nodes: NodeAddress[];
}

type Placed = Pick<UnitDef, "kind" | "targetId" | "node" | "address">;

/** The PostgreSQL nodes of each cluster, in config order: HAProxy's servers are matched against them. */
export function topologyOf(units: readonly Placed[]): ClusterTopology[] {
  const clusters = new Map<string, NodeAddress[]>();
  for (const u of units) {
    if (u.kind !== "postgres" || u.node === undefined) continue;
    const nodes = clusters.get(u.targetId) ?? [];
    nodes.push({ name: u.node, address: u.address });
    clusters.set(u.targetId, nodes);
  }
  return [...clusters].map(([id, nodes]) => ({ id, nodes }));
}

/** What the evaluator derives from a config: its units, by key, and its clusters' database nodes. */
export interface UnitPlan {
  defs: readonly UnitDef[];
  byKey: ReadonlyMap<string, UnitDef>;
  clusters: ClusterTopology[];
}

// A loaded config is never changed in place, and the runtime evaluates one config ten times a second.
const plans = new WeakMap<HealthConfig, UnitPlan>();

export function unitPlan(config: HealthConfig): UnitPlan {
  let plan = plans.get(config);
  if (!plan) {
    const defs = derive(config);
    plans.set(config, (plan = { defs, byKey: new Map(defs.map((d) => [d.key, d])), clusters: topologyOf(defs) }));
  }
  return plan;
}

/**
 * Every unit of a config, in config order: the scheduler's own units (same keys, same order), each
 * with its collector's thresholds and address.
 */
export function unitDefs(config: HealthConfig): readonly UnitDef[] {
  return unitPlan(config).defs;
}

function derive(config: HealthConfig): UnitDef[] {
  const units = unitsFromConfig(config).map((u) => ({ u, address: addressOf(u) }));
  const databaseNodes = topologyOf(units.map(({ u, address }) => ({ ...u, address }))).flatMap((c) => c.nodes);
  const base: JudgeOptions = { ...DEFAULT_JUDGE_OPTIONS, databaseNodes };
  return units.map(({ u, address }) => ({
    key: u.key,
    kind: u.kind,
    targetId: u.targetId,
    ...(u.node !== undefined ? { node: u.node } : {}),
    component: u.component,
    intervalMs: u.intervalMs,
    judge: judgeOptionsOf(u, base),
    address,
  }));
}

/** The clusters of a config, as the cross-layer checks need them. */
export function clusterTopology(config: HealthConfig): ClusterTopology[] {
  return unitPlan(config).clusters;
}

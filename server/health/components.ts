import type { ComponentHealth, Finding, Suspect, UnitHealth } from "@/lib/health";
import type { Status } from "@/lib/status";
import { dcsLossConsequence } from "./dcs";
import { dataAs } from "./types";

/**
 * Units roll up to their SLA component by what they are, not by the component's name:
 * - a Patroni cluster (patroni + postgres units): the leader decides; a standby only degrades;
 * - a Redis group (sentinel + redis units): the master decides; a replica or sentinel only degrades;
 * - app instances (http + tcp units) are peers: all down → DOWN, some down → DEGRADED;
 * - anything else (haproxy, vrrp, marketdata) counts with its own status.
 * The component takes the worst of these. Unit statuses are the confirmed ones, so the component
 * inherits the units' hysteresis; rolling up the pending statuses instead gives its suspect.
 */

/** How bad a status is, for "worst of". Unknown ranks above DEGRADED: we cannot vouch for it. */
export const STATUS_RANK: Record<Status, number> = { UP: 0, DEGRADED: 1, NO_DATA: 2, STALE: 3, DOWN: 4 };
export const worst = (statuses: Iterable<Status>): Status => {
  let w: Status = "UP";
  for (const s of statuses) if (STATUS_RANK[s] > STATUS_RANK[w]) w = s;
  return w;
};

export interface RollupUnit {
  health: UnitHealth;
  /** host:port of a data node (redis from its URL), for matching Sentinel's master. */
  address: string | null;
  /** The latest data the unit's probe produced, of any age: who is leader / master. */
  data: unknown;
}

export interface ComponentDef {
  id: string;
  name: string;
  layer: string;
  sla: number;
}

interface Part {
  status: Status;
  reason: string;
}

type View = (u: RollupUnit) => { status: Status; reason: string };

const label = (h: UnitHealth) => (h.node ? `${h.targetId}/${h.node}` : h.targetId);
const confirmedView: View = (u) => ({ status: u.health.status, reason: u.health.reason ?? "" });
const pendingView: View = (u) =>
  u.health.suspect ? { status: u.health.suspect.status, reason: u.health.suspect.reason ?? "" } : confirmedView(u);

function clusterParts(units: RollupUnit[], view: View): Part[] {
  const parts: Part[] = [];
  const patroni = units.find((u) => u.health.kind === "patroni");
  const patroniData = patroni && dataAs("patroni", patroni.health.kind, patroni.data);
  // When Patroni answers but names no leader (its key expired while the primary hung or died), the
  // node that was last seen as primary still decides: nothing else takes writes yet, so its DOWN must
  // keep the cluster DOWN until Patroni elects someone, not fall back to a standby's DEGRADED.
  const leader =
    patroniData?.leader ??
    (patroniData
      ? (units.find((u) => u.health.kind === "postgres" && dataAs("postgres", u.health.kind, u.data)?.inRecovery === false)?.health.node ?? null)
      : null);
  // The DCS first: its loss is the cause of what follows (no leader key, the leader demoting itself).
  for (const u of units) {
    if (u.health.kind !== "etcd") continue;
    const { status, reason } = view(u);
    if (status === "UP") continue;
    if (status === "DOWN") {
      const loss = dcsLossConsequence(patroniData?.dcsConfig);
      parts.push({ status: loss.status, reason: `DCS ${label(u.health)}: ${reason}. ${loss.consequence}` });
    } else parts.push({ status: "DEGRADED", reason: `DCS ${label(u.health)} is ${status}: ${reason}` });
  }
  if (patroni) {
    const { status, reason } = view(patroni);
    if (status !== "UP") parts.push({ status, reason: `Patroni ${label(patroni.health)}: ${reason}` });
  }
  for (const u of units) {
    if (u.health.kind !== "postgres") continue;
    const { status, reason } = view(u);
    if (status === "UP") continue;
    if (u.health.node === leader) parts.push({ status, reason: `leader ${label(u.health)}: ${reason}` });
    else parts.push({ status: "DEGRADED", reason: `${leader ? "standby " : ""}${label(u.health)} is ${status}: ${reason}` });
  }
  return parts;
}

function redisParts(units: RollupUnit[], view: View): Part[] {
  const parts: Part[] = [];
  const sentinels = units.filter((u) => u.health.kind === "sentinel");
  const instances = units.filter((u) => u.health.kind === "redis");
  const named = sentinels.map((s) => dataAs("sentinel", s.health.kind, s.data)?.master).find((m) => m);
  const selfMasters = instances.filter((r) => dataAs("redis", r.health.kind, r.data)?.role === "master");
  const master = named ? instances.find((r) => r.address === named) : selfMasters.length === 1 ? selfMasters[0] : undefined;
  const masterServes = master !== undefined && ["UP", "DEGRADED"].includes(view(master).status);

  for (const s of sentinels) {
    const { status, reason } = view(s);
    if (status === "UP") continue;
    // Clients find the master through Sentinel, but a master that still answers keeps serving.
    const effective = status === "DOWN" && masterServes ? "DEGRADED" : status;
    parts.push({ status: effective, reason: `Sentinel ${label(s.health)}: ${reason}${effective !== status ? " (the master still answers)" : ""}` });
  }
  for (const r of instances) {
    const { status, reason } = view(r);
    if (status === "UP") continue;
    if (r === master) parts.push({ status, reason: `master ${label(r.health)}: ${reason}` });
    else parts.push({ status: "DEGRADED", reason: `${master ? "replica " : ""}${label(r.health)} is ${status}: ${reason}` });
  }
  if (instances.length > 0 && sentinels.length === 0 && !master) {
    parts.push({ status: "DOWN", reason: `no Redis instance is known to be master (${instances.map((r) => label(r.health)).join(", ")})` });
  }
  return parts;
}

function peerParts(units: RollupUnit[], view: View): Part[] {
  const views = units.map((u) => ({ u, ...view(u) }));
  const bad = views.filter((v) => v.status !== "UP");
  if (bad.length === 0) return [];
  const serving = views.filter((v) => v.status === "UP" || v.status === "DEGRADED").length;
  const each = bad.map((v) => `${label(v.u.health)} is ${v.status}: ${v.reason}`);
  if (serving === views.length) return each.map((reason) => ({ status: "DEGRADED", reason }));
  if (serving > 0) return each.map((reason) => ({ status: "DEGRADED", reason: `${serving} of ${views.length} serving; ${reason}` }));
  // Nothing is known to serve: DOWN if any is known down, else as unknown as the units are.
  if (!views.some((v) => v.status === "DOWN")) return each.map((reason) => ({ status: worst(views.map((v) => v.status)), reason }));
  return each.map((reason) => ({ status: "DOWN", reason: views.length > 1 ? `none of ${views.length} serving; ${reason}` : reason }));
}

function parts(units: RollupUnit[], findings: readonly Finding[], view: View): Part[] {
  const out: Part[] = [];
  const clusters = new Map<string, RollupUnit[]>();
  const peers: RollupUnit[] = [];
  const redis: RollupUnit[] = [];
  for (const u of units) {
    const k = u.health.kind;
    if (k === "patroni" || k === "postgres" || k === "etcd") clusters.set(u.health.targetId, [...(clusters.get(u.health.targetId) ?? []), u]);
    else if (k === "sentinel" || k === "redis") redis.push(u);
    else if (k === "http" || k === "tcp") peers.push(u);
    else {
      const { status, reason } = view(u);
      if (status !== "UP") out.push({ status, reason: `${label(u.health)}: ${reason}` });
    }
  }
  for (const c of clusters.values()) out.push(...clusterParts(c, view));
  if (redis.length) out.push(...redisParts(redis, view));
  if (peers.length) out.push(...peerParts(peers, view));
  // A confirmed cross-layer finding about a unit means the component cannot be called UP.
  const keys = new Set(units.map((u) => u.health.key));
  for (const f of findings) {
    if (f.severity === "CRITICAL" && f.subjects.some((s) => keys.has(s))) out.push({ status: "DEGRADED", reason: f.title });
  }
  return out.sort((a, b) => STATUS_RANK[b.status] - STATUS_RANK[a.status]);
}

/** The suspect unit closest to confirming, for the component's "count/needed". */
function closestSuspect(units: RollupUnit[]): Suspect | null {
  let best: Suspect | null = null;
  for (const u of units) {
    const s = u.health.suspect;
    if (s && (!best || s.count / s.needed > best.count / best.needed)) best = s;
  }
  return best;
}

/** The rolled-up verdict; `since` needs memory across evaluations, which evaluate() adds. */
export type ComponentRollup = Omit<ComponentHealth, "since">;

/** Roll one component's units up; `findings` are the current ones (only CRITICAL ones count). */
export function rollupComponent(component: ComponentDef, units: RollupUnit[], findings: readonly Finding[] = []): ComponentRollup {
  const base = { id: component.id, name: component.name, layer: component.layer, sla: component.sla, unitKeys: units.map((u) => u.health.key) };
  if (units.length === 0) {
    return { ...base, status: "NO_DATA", suspect: null, reasons: ["nothing in the config monitors this component"] };
  }
  const now = parts(units, findings, confirmedView);
  const status = worst(now.map((p) => p.status));
  const pending = parts(units, findings, pendingView);
  const next = worst(pending.map((p) => p.status));
  const closest = closestSuspect(units);
  const suspect = next !== status && closest ? { ...closest, status: next, reason: pending[0]?.reason ?? null } : null;
  return { ...base, status, suspect, reasons: now.map((p) => p.reason) };
}

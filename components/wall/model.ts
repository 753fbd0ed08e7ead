/**
 * Pure: what the wall shows, derived from one Snapshot. Every item carries `sig`, a cheap string of
 * exactly the fields its row renders, so memoised rows skip rendering when a new snapshot (five a
 * second) changed nothing they show.
 */
import type { Finding, Overall } from "@/lib/health";
import type { ClusterMemberView, EventView, Snapshot, UnitSnapshot } from "@/lib/snapshot";
import type { Status } from "@/lib/status";
import type { HaproxyData } from "@/server/collectors/haproxy";
import type { RedisData } from "@/server/collectors/redis";
import type { SentinelData } from "@/server/collectors/sentinel";
import type { MarketData } from "@/server/collectors/types";
import type { VrrpData, VrrpState } from "@/server/collectors/vrrp";
import { unitKey } from "@/lib/keys";

/** A pending change not yet confirmed by hysteresis, e.g. DOWN 1/3: always shown. */
export interface SuspectView {
  status: Status;
  count: number;
  needed: number;
}

/** This month's downtime budget of a component, from the control store (null until it has data). */
export interface TileBudget {
  remainingMs: number;
  exhausted: boolean;
}

/** A maintenance window touching the component: going on now, or starting within a day. */
export interface TileMaintenance {
  state: "active" | "upcoming";
  start: number;
  end: number;
  reason: string;
}

export interface ComponentTileModel {
  id: string;
  name: string;
  layer: string;
  sla: number;
  status: Status;
  suspect: SuspectView | null;
  reason: string | null;
  budget: TileBudget | null;
  maintenance: TileMaintenance | null;
  sig: string;
}

/** The SLA part of the wall (the `sla.wall` query), refreshed far less often than the snapshot. */
export interface WallSlaInput {
  budgets: { id: string; remainingMs: number; exhausted: boolean }[];
  maintenance: { components: string[]; start: number; effectiveEnd: number; reason: string; state: string }[];
}

/** Upcoming maintenance shows on a tile from this long before it starts. */
export const MAINTENANCE_AHEAD_MS = 24 * 3_600_000;

export interface MemberRowModel {
  name: string;
  role: string;
  state: string;
  status: Status;
  suspect: SuspectView | null;
  lagBytes: number | null;
  lagSeconds: number | null;
  /** Lag above the cluster's limit. */
  lagging: boolean;
  replicationState: string | null;
}

export interface ClusterModel {
  id: string;
  name: string;
  status: Status;
  suspect: SuspectView | null;
  timeline: number | null;
  paused: boolean;
  maxLagSeconds: number;
  leader: MemberRowModel | null;
  /** Named by Patroni but not among the members (should not happen; shown rather than hidden). */
  leaderName: string | null;
  sync: MemberRowModel | null;
  replicas: MemberRowModel[];
  /** Patroni's latest timeline switch (failover or switchover): when, and to which timeline. */
  lastSwitch: { at: number; timeline: number } | null;
  sig: string;
}

export interface RedisNodeModel {
  id: string;
  role: string | null;
  status: Status;
  suspect: SuspectView | null;
  memoryPct: number | null;
}

export interface SentinelModel {
  id: string;
  name: string;
  status: Status;
  suspect: SuspectView | null;
  master: string | null;
  agree: boolean;
  quorumOk: boolean | null;
  sentinelsOk: number;
  sentinelsTotal: number;
  replicas: { address: string; ok: boolean }[];
  redis: RedisNodeModel[];
  sig: string;
}

export interface VrrpNodeModel {
  name: string;
  state: VrrpState;
  priority: number | null;
}

export interface VrrpModel {
  id: string;
  instance: string;
  vips: string[];
  status: Status;
  suspect: SuspectView | null;
  nodes: VrrpNodeModel[];
  /** The one node that says MASTER; null for none or several. */
  holder: string | null;
  masters: string[];
  sig: string;
}

export interface HaproxyServerModel {
  name: string;
  status: string;
  check: string | null;
}

export interface HaproxyBackendModel {
  name: string;
  status: string;
  up: number;
  servers: HaproxyServerModel[];
}

export interface HaproxyModel {
  id: string;
  name: string;
  status: Status;
  suspect: SuspectView | null;
  backends: HaproxyBackendModel[];
  sig: string;
}

export interface MarketDataModel {
  id: string;
  name: string;
  status: Status;
  suspect: SuspectView | null;
  ageSeconds: number | null;
  tradingEnabled: boolean | null;
  sig: string;
}

export interface IncidentModel {
  key: string;
  component: string;
  name: string;
  status: Status;
  suspect: SuspectView | null;
  /** Epoch ms the confirmed status began (null before a first probe). */
  since: number | null;
  reason: string | null;
  sig: string;
}

export interface IncidentGroupModel extends IncidentModel {
  /** The component's own units that are not UP or are suspected. */
  units: IncidentModel[];
}

export interface WallModel {
  at: number;
  title: string;
  overall: { status: Overall; reasons: string[]; sig: string };
  components: ComponentTileModel[];
  clusters: ClusterModel[];
  sentinels: SentinelModel[];
  vrrp: VrrpModel[];
  haproxy: HaproxyModel[];
  marketData: MarketDataModel[];
  incidents: IncidentGroupModel[];
  findings: Finding[];
  findingsSig: string;
  events: EventView[];
  eventsSig: string;
  unitCount: number;
  unitsUp: number;
}

const SEP = "\u001f";

function suspectOf(s: { status: Status; count: number; needed: number } | null | undefined): SuspectView | null {
  return s ? { status: s.status, count: s.count, needed: s.needed } : null;
}

export function suspectLabel(s: SuspectView): string {
  return `${s.status === "NO_DATA" ? "NO DATA" : s.status} ${s.count}/${s.needed}`;
}

const suspectSig = (s: SuspectView | null) => (s ? `${s.status}${s.count}/${s.needed}` : "");

/** The collector's data of a unit, typed by the caller; null until the first answer. */
function dataOf<D>(u: UnitSnapshot | undefined): D | null {
  return u && u.data !== null && typeof u.data === "object" ? (u.data as D) : null;
}

function memberRow(m: ClusterMemberView, unit: UnitSnapshot | undefined, maxLagSeconds: number): MemberRowModel {
  return {
    name: m.name,
    role: m.role,
    state: m.state,
    status: m.status,
    suspect: suspectOf(unit?.suspect),
    lagBytes: m.lagBytes,
    lagSeconds: m.lagSeconds,
    lagging: m.lagSeconds !== null && m.lagSeconds > maxLagSeconds,
    replicationState: m.replicationState,
  };
}

const memberSig = (m: MemberRowModel | null) =>
  m ? [m.name, m.role, m.state, m.status, suspectSig(m.suspect), m.lagBytes, m.lagSeconds, m.replicationState].join(",") : "-";

/** Severity order for incidents: a confirmed fault first, a mere suspicion last. */
const SEVERITY: Record<Status, number> = { DOWN: 0, DEGRADED: 1, STALE: 2, NO_DATA: 3, UP: 4 };

/** Worst first (a suspicion ranks just below its confirmed status), then the oldest. */
function bySeverity(a: IncidentModel, b: IncidentModel): number {
  const rank = (i: IncidentModel) => Math.min(SEVERITY[i.status], i.suspect ? SEVERITY[i.suspect.status] + 0.5 : 9);
  return rank(a) - rank(b) || (a.since ?? Infinity) - (b.since ?? Infinity) || a.key.localeCompare(b.key);
}

function tileMaintenance(sla: WallSlaInput | null | undefined, id: string, at: number): TileMaintenance | null {
  const mine = (sla?.maintenance ?? []).filter((w) => w.components.includes("*") || w.components.includes(id));
  const active = mine.find((w) => w.start <= at && at < w.effectiveEnd);
  const next = active ?? mine.filter((w) => w.start > at && w.start - at <= MAINTENANCE_AHEAD_MS).sort((a, b) => a.start - b.start)[0];
  return next ? { state: next === active ? "active" : "upcoming", start: next.start, end: next.effectiveEnd, reason: next.reason } : null;
}

export function toWallModel(s: Snapshot, sla?: WallSlaInput | null): WallModel {
  const units = new Map(s.units.map((u) => [u.key, u]));
  const budgets = new Map((sla?.budgets ?? []).map((b) => [b.id, b]));

  const components = s.components.map<ComponentTileModel>((c) => {
    const suspect = suspectOf(c.suspect);
    const reason = c.reasons[0] ?? null;
    const b = budgets.get(c.id);
    const budget = b ? { remainingMs: b.remainingMs, exhausted: b.exhausted } : null;
    const maintenance = tileMaintenance(sla, c.id, s.at);
    return {
      id: c.id,
      name: c.name,
      layer: c.layer,
      sla: c.sla,
      status: c.status,
      suspect,
      reason,
      budget,
      maintenance,
      sig: [
        c.name, c.layer, c.sla, c.status, suspectSig(suspect), reason ?? "",
        // The tile shows whole seconds of budget.
        budget ? `${Math.round(budget.remainingMs / 1000)}${budget.exhausted}` : "",
        maintenance ? `${maintenance.state}${maintenance.start}-${maintenance.end}` : "",
      ].join(SEP),
    };
  });

  const clusters = s.clusters.map<ClusterModel>((c) => {
    const row = (m: ClusterMemberView) => memberRow(m, units.get(unitKey("postgres", c.id, m.name)), c.maxLagSeconds);
    const leaderMember = c.members.find((m) => m.name === c.leader);
    const syncMember = c.members.find((m) => m.name === c.syncStandby && m.name !== c.leader);
    const leader = leaderMember ? row(leaderMember) : null;
    const sync = syncMember ? row(syncMember) : null;
    const replicas = c.members.filter((m) => m !== leaderMember && m !== syncMember).map(row);
    const suspect = suspectOf(units.get(unitKey("patroni", c.id))?.suspect);
    const last = c.history[c.history.length - 1];
    const lastAt = last?.at ? Date.parse(last.at) : NaN;
    const lastSwitch = last && Number.isFinite(lastAt) ? { at: lastAt, timeline: last.timeline + 1 } : null;
    return {
      id: c.id,
      name: c.name,
      status: c.status,
      suspect,
      timeline: c.timeline,
      paused: c.paused,
      maxLagSeconds: c.maxLagSeconds,
      leader,
      leaderName: c.leader,
      sync,
      replicas,
      lastSwitch,
      sig: [c.name, c.status, lastSwitch?.at, lastSwitch?.timeline, suspectSig(suspect), c.timeline, c.paused, c.maxLagSeconds, c.leader, memberSig(leader), memberSig(sync), ...replicas.map(memberSig)].join(SEP),
    };
  });

  const redisUnits = s.units.filter((u) => u.kind === "redis");
  const sentinels = s.units
    .filter((u) => u.kind === "sentinel")
    .map<SentinelModel>((u) => {
      const d = dataOf<SentinelData>(u);
      const views = d?.sentinels ?? [];
      const answering = views.find((v) => v.ok);
      const replicas = (answering?.replicaNodes ?? []).map((r) => ({
        address: r.address,
        ok: r.masterLinkStatus === "ok" && !r.flags.some((f) => f === "s_down" || f === "o_down" || f === "disconnected"),
      }));
      const redis = redisUnits
        .filter((r) => r.component === u.component)
        .map<RedisNodeModel>((r) => {
          const rd = dataOf<RedisData>(r);
          const memoryPct = rd && rd.usedMemory !== null && rd.maxMemory ? (100 * rd.usedMemory) / rd.maxMemory : null;
          return { id: r.targetId, role: rd?.role ?? null, status: r.status, suspect: suspectOf(r.suspect), memoryPct };
        });
      const suspect = suspectOf(u.suspect);
      const sentinelsOk = views.filter((v) => v.ok).length;
      return {
        id: u.targetId,
        name: u.label,
        status: u.status,
        suspect,
        master: d?.master ?? null,
        agree: d?.agree ?? false,
        quorumOk: d?.quorumOk ?? null,
        sentinelsOk,
        sentinelsTotal: views.length,
        replicas,
        redis,
        sig: [
          u.label,
          u.status,
          suspectSig(suspect),
          d?.master,
          d?.agree,
          d?.quorumOk,
          sentinelsOk,
          views.length,
          ...replicas.map((r) => `${r.address}${r.ok}`),
          // Memory moves every poll; the row shows whole percent only.
          ...redis.map((r) => `${r.id}${r.role}${r.status}${suspectSig(r.suspect)}${r.memoryPct === null ? "" : Math.round(r.memoryPct)}`),
        ].join(SEP),
      };
    });

  const vrrp = s.units
    .filter((u) => u.kind === "vrrp")
    .map<VrrpModel>((u) => {
      const d = dataOf<VrrpData>(u);
      const nodes = (d?.nodes ?? []).map<VrrpNodeModel>((n) => ({ name: n.name, state: n.state, priority: n.priority }));
      const masters = d?.masters ?? [];
      const suspect = suspectOf(u.suspect);
      return {
        id: u.targetId,
        instance: d?.instance ?? u.label,
        vips: d?.vips ?? [],
        status: u.status,
        suspect,
        nodes,
        holder: masters.length === 1 ? (masters[0] ?? null) : null,
        masters,
        sig: [u.label, u.status, suspectSig(suspect), d?.instance, ...(d?.vips ?? []), masters.join("+"), ...nodes.map((n) => `${n.name}${n.state}${n.priority}`)].join(SEP),
      };
    });

  const haproxy = s.units
    .filter((u) => u.kind === "haproxy")
    .map<HaproxyModel>((u) => {
      const d = dataOf<HaproxyData>(u);
      const backends = (d?.proxies ?? [])
        .filter((p) => p.backend && p.servers.length > 0)
        .map<HaproxyBackendModel>((p) => ({
          name: p.name,
          status: p.backend?.status ?? "",
          up: p.servers.filter((x) => x.status === "UP" || x.status.startsWith("UP ")).length,
          servers: p.servers.map((x) => ({ name: x.name, status: x.status, check: x.checkStatus })),
        }));
      const suspect = suspectOf(u.suspect);
      return {
        id: u.targetId,
        name: u.label,
        status: u.status,
        suspect,
        backends,
        sig: [u.label, u.status, suspectSig(suspect), ...backends.map((b) => `${b.name}${b.status}:${b.servers.map((x) => `${x.name}=${x.status}`).join(",")}`)].join(SEP),
      };
    });

  const marketData = s.units
    .filter((u) => u.kind === "marketdata")
    .map<MarketDataModel>((u) => {
      const d = dataOf<MarketData>(u);
      const suspect = suspectOf(u.suspect);
      const ageSeconds = d?.ageSeconds ?? null;
      return {
        id: u.targetId,
        name: u.label,
        status: u.status,
        suspect,
        ageSeconds,
        tradingEnabled: d?.tradingEnabled ?? null,
        sig: [u.label, u.status, suspectSig(suspect), ageSeconds === null ? "" : ageSeconds.toFixed(1), d?.tradingEnabled].join(SEP),
      };
    });

  const unitIncidents = s.units
    .filter((u) => u.status !== "UP" || u.suspect)
    .map<IncidentModel>((u) => {
      const suspect = suspectOf(u.suspect);
      const reason = (u.status === "UP" ? u.suspect?.reason : u.reason) ?? u.reason;
      return {
        key: u.key,
        component: u.component,
        // Inside its component's group a node needs no cluster name: "labcluster/pg3".
        name: u.node ? `${u.targetId}/${u.node}` : u.label,
        status: u.status,
        suspect,
        since: u.since,
        reason,
        sig: [u.key, u.label, u.status, suspectSig(suspect), u.since, reason].join(SEP),
      };
    })
    .sort(bySeverity);
  const incidents = s.components
    .map<IncidentGroupModel>((c) => {
      const mine = unitIncidents.filter((i) => i.component === c.id);
      const suspect = suspectOf(c.suspect);
      // How long the incident has run: since the component's last confirmed transition.
      const since = c.status === "UP" ? null : c.since;
      return {
        key: c.id,
        component: c.id,
        name: c.name,
        status: c.status,
        suspect,
        since,
        reason: c.reasons[0] ?? null,
        units: mine,
        sig: [c.name, c.status, suspectSig(suspect), since, c.reasons[0], ...mine.map((i) => i.sig)].join(SEP),
      };
    })
    .filter((g) => g.status !== "UP" || g.suspect || g.units.length > 0)
    .sort(bySeverity);

  const findings = [...s.findings].sort((a, b) => (a.severity === b.severity ? a.since - b.since : a.severity === "CRITICAL" ? -1 : 1));
  const events = s.events.slice(0, 6);

  return {
    at: s.at,
    title: s.title,
    overall: { status: s.overall.status, reasons: s.overall.reasons, sig: [s.overall.status, ...s.overall.reasons].join(SEP) },
    components,
    clusters,
    sentinels,
    vrrp,
    haproxy,
    marketData,
    incidents,
    findings,
    findingsSig: findings.map((f) => [f.id, f.severity, f.title, f.explanation, f.since].join(",")).join(SEP),
    events,
    eventsSig: events.map((e) => `${e.at}${e.type}${e.message}`).join(SEP),
    unitCount: s.units.length,
    unitsUp: s.units.filter((u) => u.status === "UP").length,
  };
}

/** Of many component tiles, the ones to show when not all fit: every problem first, then config order. */
export function pickTiles(tiles: ComponentTileModel[], capacity: number): { shown: ComponentTileModel[]; hiddenUp: number; hiddenOther: number } {
  if (tiles.length <= capacity) return { shown: tiles, hiddenUp: 0, hiddenOther: 0 };
  const room = Math.max(0, capacity - 1); // one slot says what is left out
  const bad = tiles.filter((t) => t.status !== "UP" || t.suspect);
  const picked = new Set((bad.length >= room ? bad.slice(0, room) : [...bad, ...tiles.filter((t) => t.status === "UP" && !t.suspect).slice(0, room - bad.length)]).map((t) => t.id));
  const shown = tiles.filter((t) => picked.has(t.id));
  const hidden = tiles.filter((t) => !picked.has(t.id));
  const hiddenUp = hidden.filter((t) => t.status === "UP" && !t.suspect).length;
  return { shown, hiddenUp, hiddenOther: hidden.length - hiddenUp };
}

/** "fresh" | "amber" (over 3 s) | "red" (over 10 s): a frozen feed must never look healthy. */
export type AgeLevel = "fresh" | "amber" | "red";
export const AMBER_AFTER_S = 3;
export const RED_AFTER_S = 10;

/**
 * Seconds since the data was current. The snapshot's own `at` is compared with the browser clock; the
 * time it arrived guards against a browser clock running behind the server's (which would hide a stall).
 */
export function dataAgeSeconds(now: number, at: number, receivedAt: number): number {
  return Math.max(0, (now - Math.min(at, receivedAt)) / 1000);
}

export function ageLevel(ageSeconds: number): AgeLevel {
  if (ageSeconds > RED_AFTER_S) return "red";
  if (ageSeconds > AMBER_AFTER_S) return "amber";
  return "fresh";
}

import type { HealthConfig, HealthKind } from "./types";
import { unitKey } from "@/lib/keys";

/** The seed's thresholds (section 5.1 and monitor_replication.sh); each target may override its own. */
export const SEED_THRESHOLDS = {
  /** Standby replay lag, seconds ("lag > 5" → DEGRADED). */
  maxLagSeconds: 5,
  /** used_memory / maxmemory ("> 0.9" → DEGRADED). */
  maxMemoryRatio: 0.9,
  /** Age of `last_market_update`, seconds ("> 5" → STALE). */
  maxAgeSeconds: 5,
  /** Expected /health status code. */
  expectStatus: 200,
} as const;

/** Per-unit thresholds and context for `judge`. */
export interface JudgeOptions {
  maxLagSeconds: number;
  maxMemoryRatio: number;
  maxAgeSeconds: number;
  expectStatus: number;
  /**
   * The monitored PostgreSQL nodes. HAProxy backends whose servers are these nodes route by Patroni
   * role: there a DOWN server is by design (the read-write backend has one UP server), not lost redundancy.
   */
  databaseNodes: readonly NodeAddress[];
}

export interface NodeAddress {
  name: string;
  /** host:port, lower case. */
  address: string | null;
}

export const DEFAULT_JUDGE_OPTIONS: JudgeOptions = { ...SEED_THRESHOLDS, databaseNodes: [] };

/** One unit the config asks to be probed; keys are `unitKey(kind, id, node)`, as the scheduler's. */
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

/** "postgres://u@10.0.1.40:5432/db" → "10.0.1.40:5432"; null when it cannot be parsed. */
export function hostPortOfUrl(url: string, defaultPort: number): string | null {
  try {
    const u = new URL(url);
    if (!u.hostname) return null;
    return `${u.hostname.toLowerCase()}:${u.port || defaultPort}`;
  } catch {
    return null;
  }
}

/** A cluster's PostgreSQL nodes as the cross-layer checks need them. */
export interface ClusterTopology {
  id: string;
  nodes: NodeAddress[];
}

export function clusterTopology(config: HealthConfig): ClusterTopology[] {
  return config.clusters.map((c) => ({ id: c.id, nodes: c.nodes.map((n) => ({ name: n.name, address: hostPortOfUrl(n.dsn, 5432) })) }));
}

/** Every unit of a config, in config order (the same units and keys as the scheduler's). */
export function unitDefs(config: HealthConfig): UnitDef[] {
  const interval = (t: { intervalMs?: number }) => t.intervalMs ?? config.defaults.intervalMs;
  const base: JudgeOptions = { ...DEFAULT_JUDGE_OPTIONS, databaseNodes: clusterTopology(config).flatMap((c) => c.nodes) };
  const units: UnitDef[] = [];
  const add = (kind: HealthKind, t: { id: string; component: string; intervalMs?: number }, judge: JudgeOptions, address: string | null = null, node?: string) =>
    units.push({
      key: unitKey(kind, t.id, node),
      kind,
      targetId: t.id,
      ...(node ? { node } : {}),
      component: t.component,
      intervalMs: interval(t),
      judge,
      address,
    });

  for (const c of config.clusters) {
    const judge = { ...base, maxLagSeconds: c.maxLagSeconds ?? base.maxLagSeconds };
    add("patroni", c, judge);
    for (const n of c.nodes) add("postgres", c, judge, hostPortOfUrl(n.dsn, 5432), n.name);
  }
  for (const s of config.sentinels) add("sentinel", s, base);
  for (const r of config.redis) add("redis", r, { ...base, maxMemoryRatio: r.maxMemoryRatio ?? base.maxMemoryRatio }, hostPortOfUrl(r.url, 6379));
  for (const h of config.haproxy) add("haproxy", h, base);
  for (const v of config.vrrp) add("vrrp", v, base);
  for (const h of config.http) add("http", h, { ...base, expectStatus: h.expectStatus ?? base.expectStatus });
  for (const t of config.tcp) add("tcp", t, base);
  for (const m of config.marketData) add("marketdata", m, { ...base, maxAgeSeconds: m.maxAgeSeconds ?? base.maxAgeSeconds });
  return units;
}

/**
 * Does an HAProxy proxy look read-only? A stats row says nothing
 * about the health check's URL, so the read-write backend is recognised by name: a name that says
 * replica / standby / slave / read / ro is read-only; anything else (pg_rw, pg_primary, postgres) is
 * read-write.
 */
export function looksReadOnly(proxyName: string): boolean {
  const n = proxyName.toLowerCase();
  if (/read[-_ ]?write|(^|[^a-z])rw([^a-z]|$)|primary|master|leader|writ/.test(n)) return false;
  return /replica|standby|slave|read|(^|[^a-z])ro([^a-z]|$)/.test(n);
}

/** Does an HAProxy server row point at this PostgreSQL node (same host:port, or the Patroni member's name)? */
export function serverMatchesNode(
  server: { name: string; address: string | null },
  node: NodeAddress & { memberAddress?: string | null },
): boolean {
  const addr = server.address?.toLowerCase() ?? null;
  if (addr && (addr === node.address || addr === node.memberAddress)) return true;
  return server.name === node.name;
}

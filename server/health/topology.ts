/** Thresholds and node addresses the verdicts read; free of the registry, so collectors may import it. */

/** The seed health check's thresholds; each target may override its own. */
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

import { lagSubject } from "@/lib/keys";
import { replicationLagBytes } from "@/lib/lag-series";
import { CLUSTERS, type ClustersConfig, type PatroniNodeConfig, type PatroniTarget } from "./patroni";
import { bounded, brokenBy, checkin, checkout, connectionOptions, describePostgresError, destroy, open, type Conn } from "./postgres-connection";
import { STATUS_SQL, toPostgresData, type StatusRow } from "./postgres-sql";
import type { KindDef, ProbeResult, Sample } from "./types";
import { since, hostPortOfUrl } from "./util";
import { judgePostgres, type PostgresHealthData } from "@/server/health/judge";

/**
 * One PostgreSQL node as it sees itself: role, timeline, WAL positions and replication, in one round
 * trip per poll over a cached connection (one per node, reused across polls).
 */

/** One PostgreSQL node of a Patroni cluster: probed on its own so a hung node delays no other. */
export interface PostgresTarget {
  cluster: PatroniTarget;
  node: PatroniNodeConfig;
}

/** On a primary: one row of pg_stat_replication. Byte lags from pg_wal_lsn_diff; time lags NULL when idle. */
export interface ReplicationRow {
  applicationName: string;
  clientAddr: string | null;
  state: string;
  syncState: string;
  sendLagBytes: number | null;
  writeLagBytes: number | null;
  flushLagBytes: number | null;
  replayLagBytes: number | null;
  writeLagSeconds: number | null;
  flushLagSeconds: number | null;
  replayLagSeconds: number | null;
}

export interface PostgresData {
  node: string;
  inRecovery: boolean;
  timeline: number | null;
  serverVersion: number | null;
  /** Time to get a usable connection this poll (0 when the pooled connection was reused). */
  connectMs: number;
  /** Primary only. */
  currentLsn: string | null;
  replication: ReplicationRow[];
  /** Standby only. */
  standby: {
    receiveLsn: string | null;
    replayLsn: string | null;
    /** pg_wal_lsn_diff(receive, replay). */
    replayGapBytes: number | null;
    /**
     * Seconds the standby's replay is behind: 0 when everything received is replayed (an idle primary
     * sends nothing, and now() - pg_last_xact_replay_timestamp() would grow without any lag).
     */
    replayLagSeconds: number | null;
    lastReplayAt: string | null;
    replayPaused: boolean;
    walReceiver: { status: string; senderHost: string | null; senderPort: number | null; slotName: string | null } | null;
  } | null;
}

async function query(conn: Conn, signal: AbortSignal): Promise<StatusRow> {
  const res = await bounded(conn, conn.client.query<StatusRow>(STATUS_SQL), signal);
  const row = res.rows[0];
  if (!row) throw new Error("status query returned no row");
  conn.backendPid = row.backend_pid;
  return row;
}

export async function probePostgres(target: PostgresTarget, signal: AbortSignal): Promise<ProbeResult<PostgresData>> {
  const start = performance.now();
  const { host, port } = connectionOptions(target.node.dsn);
  const endpoint = String(host).startsWith("/") ? `socket ${port}` : `${host}:${port}`;
  let phase: "connect" | "query" = "connect";
  let conn: Conn | undefined;
  let connectMs = 0;
  const fresh = async (): Promise<Conn> => {
    phase = "connect";
    const t0 = performance.now();
    const c = await open(target, signal);
    connectMs = since(t0);
    return c;
  };
  try {
    signal.throwIfAborted();
    const cached = checkout(target);
    conn = cached ?? (await fresh());
    phase = "query";
    let row: StatusRow;
    try {
      row = await query(conn, signal);
    } catch (e) {
      // A cached connection that died unnoticed (no FIN seen yet): one fresh attempt within the same deadline.
      if (!cached || signal.aborted || !brokenBy(e)) throw e;
      destroy(conn);
      conn = undefined;
      conn = await fresh();
      phase = "query";
      row = await query(conn, signal);
    }
    checkin(conn);
    return { ok: true, latencyMs: since(start), data: toPostgresData(target.node.name, row, connectMs) };
  } catch (e) {
    if (conn) {
      if (signal.aborted || brokenBy(e)) destroy(conn);
      else checkin(conn); // e.g. permission denied: the connection itself is fine
    }
    return { ok: false, latencyMs: since(start), error: describePostgresError(e, signal, start, `${phase} ${endpoint}`) };
  }
}

/** Lag series of a node: each standby's full lag as its primary sees it (bytes), and its own replay lag (seconds). */
export function postgresSamples(d: PostgresData, unit: { targetId: string }): Sample[] {
  const out: Sample[] = [];
  for (const r of d.replication) {
    // The full lag (all stages), the same figure the cluster table shows.
    const bytes = replicationLagBytes(r);
    if (bytes !== null) out.push({ subject: lagSubject(unit.targetId, r.applicationName), metric: "lag_bytes", value: bytes });
  }
  const seconds = d.standby?.replayLagSeconds;
  if (seconds != null) out.push({ subject: lagSubject(unit.targetId, d.node), metric: "lag_seconds", value: seconds });
  return out;
}

/** One unit per node of every cluster, so a frozen node delays no other node. */
export const postgresCollector: KindDef<"postgres", typeof CLUSTERS, PostgresTarget, PostgresData, ClustersConfig, PostgresHealthData> = {
  kind: "postgres",
  section: CLUSTERS,
  units: (config) => config.clusters.flatMap((c) => c.nodes.map((n) => ({ entry: c, node: n.name, target: { cluster: c, node: n } }))),
  probe: probePostgres,
  samples: postgresSamples,
  judge: judgePostgres,
  judgeOptions: (t, base) => ({ ...base, maxLagSeconds: t.cluster.maxLagSeconds ?? base.maxLagSeconds }),
  address: (t) => hostPortOfUrl(t.node.dsn, 5432),
};

import type { Config } from "@/server/config/load";

/**
 * What one probe found. A target being down is a result (`ok: false` with a human reason), never an
 * exception; a thrown exception means a bug in the collector. `error` must be safe to show in a
 * browser: no URLs with credentials, no DSNs, no passwords.
 */
export type ProbeResult<D> =
  | { ok: true; latencyMs: number; data: D }
  | { ok: false; latencyMs: number; error: string; data?: D };

/**
 * One collector per kind of target. `probe` must stop work and resolve soon after `signal` aborts
 * (the caller owns the deadline), and must release every socket it opened.
 */
export interface Collector<K extends string, T, D> {
  readonly kind: K;
  probe(target: T, signal: AbortSignal): Promise<ProbeResult<D>>;
  watch?(target: T, onEvent: (e: PushEvent) => void): { close(): void };
}

/** Targets as loaded from the config (secrets resolved to `Secret` objects). */
export type PatroniTarget = Config["clusters"][number];
export type SentinelTarget = Config["sentinels"][number];
export type RedisTarget = Config["redis"][number];
export type HaproxyTarget = Config["haproxy"][number];
export type VrrpTarget = Config["vrrp"][number];
export type HttpTarget = Config["http"][number];
export type TcpTarget = Config["tcp"][number];

export type PatroniNodeConfig = PatroniTarget["nodes"][number];
export type MarketDataTarget = Config["marketData"][number];

/** One PostgreSQL node of a Patroni cluster: probed on its own so a hung node delays no other. */
export interface PostgresTarget {
  cluster: PatroniTarget;
  node: PatroniNodeConfig;
}

/** The monitored stack's Redis, as a market-data check needs it: the referenced Sentinel group or instance. */
export interface MarketDataProbeTarget {
  check: MarketDataTarget;
  source: { kind: "sentinel"; group: SentinelTarget } | { kind: "redis"; instance: RedisTarget };
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

export interface MarketData {
  key: string;
  /** Seconds since the feed last wrote the key; null when the key is missing (NO_DATA). */
  ageSeconds: number | null;
  /** `trading:enabled` as the seed's VRRP scripts set it; null when absent. */
  tradingEnabled: boolean | null;
  /** host:port of the Redis the key was read from. */
  readFrom: string;
}

/** Something a component pushed between polls (a Sentinel event, a keepalived notify). */
export interface PushEvent {
  at: number;
  /** The target whose state it concerns; the scheduler probes it again at once. */
  targetId: string;
  source: string;
  /** e.g. "+switch-master", "+sdown", "+odown", "+failover-end". */
  type: string;
  message: string;
}

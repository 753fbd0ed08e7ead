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
}

/** Targets as loaded from the config (secrets resolved to `Secret` objects). */
export type PatroniTarget = Config["clusters"][number];
export type SentinelTarget = Config["sentinels"][number];
export type RedisTarget = Config["redis"][number];
export type HaproxyTarget = Config["haproxy"][number];
export type VrrpTarget = Config["vrrp"][number];
export type HttpTarget = Config["http"][number];
export type TcpTarget = Config["tcp"][number];

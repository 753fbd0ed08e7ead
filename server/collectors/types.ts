import type { z } from "zod";
import type { Resolve } from "@/server/config/load";
import type { Judgement } from "@/server/health/judge";
import type { JudgeOptions } from "@/server/health/topology";
import type { Observation } from "@/server/health/types";
import type { KnownMetric } from "@/server/store/inputs";

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

/** The fields every entry of a target section has (server/config/fields.ts `TargetBase`). */
export interface TargetEntry {
  id: string;
  name?: string;
  component: string;
  intervalMs?: number;
  timeoutMs?: number;
}

/** A section of ha.config.yaml that lists targets: its key and the zod schema of one entry. */
export interface Section<N extends string = string, S extends z.ZodType<TargetEntry> = z.ZodType<TargetEntry>> {
  readonly name: N;
  readonly schema: S;
}

/** One entry of a section as loaded: validated, every SecretRef resolved to a Secret. */
export type EntryOf<S extends Section> = Resolve<z.output<S["schema"]>>;

/** A unit as a collector derives it: the section entry it counts for, its node (when per node), and what the probe takes. */
export interface UnitDraft<T> {
  entry: TargetEntry;
  node?: string;
  target: T;
}


/** One point of a series, taken from a probe's data. */
export interface Sample {
  subject: string;
  /** A series the control store keeps; KNOWN_METRICS (server/store/inputs.ts) is the one place metric names are written. */
  metric: KnownMetric;
  value: number;
}

/** The unit whose probe produced the data a sample comes from. */
export interface SampledUnit {
  key: string;
  targetId: string;
  node?: string;
}

/**
 * A collector as the registry holds it: the probe, plus the config section its targets come from,
 * how a config yields its units, and the verdict on one probe. `C` is the part of the loaded config
 * the derivation reads; `H` the part of the data the verdict reads (picked, so the rules' tests
 * build only what they judge). Declare a collector as a `KindDef`, which checks that `D` has `H`.
 */
export interface KindShape<K extends string, S extends Section, T, D, C, H> extends Collector<K, T, D> {
  readonly section: S;
  units(config: C): UnitDraft<T>[];
  /** Series points in a successful probe's data (lag, age); the probe latency is recorded for every kind. */
  samples?(data: D, unit: SampledUnit): Sample[];
  /** The probe's own verdict: a status and a short human reason. Pure. */
  judge(o: Observation<H>, opts: JudgeOptions): Judgement;
  /** The unit's thresholds: the defaults `base` with what its config entry overrides. */
  judgeOptions?(target: T, base: JudgeOptions): JudgeOptions;
  /** host:port of the data node the unit talks to (matched to Sentinel's master and HAProxy's servers). */
  address?(target: T): string | null;
}

export type KindDef<K extends string, S extends Section, T, D extends H, C, H = D> = KindShape<K, S, T, D, C, H>;

/** Targets and data of each kind, declared in the kind's own file. */
export type { PatroniTarget, PatroniNodeConfig } from "./patroni";
export type { PostgresTarget, PostgresData, ReplicationRow } from "./postgres";
export type { EtcdTarget, EtcdData } from "./etcd";
export type { SentinelTarget } from "./sentinel";
export type { RedisTarget } from "./redis";
export type { HaproxyTarget } from "./haproxy";
export type { VrrpTarget } from "./vrrp";
export type { HttpTarget } from "./http";
export type { TcpTarget } from "./tcp";
export type { MarketDataTarget, MarketDataProbeTarget, MarketData } from "./marketdata";

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

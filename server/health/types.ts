import type { HealthDataOf, Kind } from "@/server/collectors/registry";
import type { ProbeResult } from "@/server/collectors/types";
import type { Config } from "@/server/config/load";
import type { HealthKind } from "@/lib/health";

export type { HealthKind } from "@/lib/health";
export type { HealthDataOf } from "@/server/collectors/registry";

/** One probe's result for one unit, as the scheduler hands it to the evaluator. */
export interface Observation<D = unknown> {
  /** "patroni:labcluster", "postgres:labcluster/pg1", "sentinel:labredis", "redis:redis1", "marketdata:market-data", ... */
  unitKey: string;
  kind: HealthKind;
  targetId: string;
  node?: string;
  component: string;
  /** Epoch ms the probe finished. */
  at: number;
  result: ProbeResult<D>;
}

/**
 * Data of kind `want`, read from a unit of kind `kind`; undefined for another kind or no data.
 * The one place untyped data gets its type: the runtime pairs each probe result with its unit's kind.
 */
export function dataAs<K extends Kind>(want: K, kind: HealthKind, data: unknown): HealthDataOf<K> | undefined {
  return kind === want ? (data as HealthDataOf<K> | undefined) : undefined;
}

/** The data of an observation of kind K (the fields its verdict reads), when the probe produced any. */
export function dataOf<K extends Kind>(o: Observation, kind: K): HealthDataOf<K> | undefined {
  return dataAs(kind, o.kind, o.result.data);
}

/** The observation with its data typed by its own kind, for that kind's verdict. */
export function typed<K extends Kind>(o: Observation & { kind: K }): Observation<HealthDataOf<K>> {
  return o as Observation<HealthDataOf<K>>;
}

/**
 * The config the health model reads: the loaded `Config` (its defaults, components, and the target
 * sections each collector derives its units from). Tests build it with `parseConfig`.
 */
export type HealthConfig = Config;

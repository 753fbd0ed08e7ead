/**
 * Typed access to a unit's collector data in a snapshot. The snapshot carries `data: unknown` (each
 * collector's own shape); the kind says which shape it is. Type-only imports: nothing of the
 * server's code reaches the browser.
 */
import type { DataOf, Kind } from "@/server/collectors/registry";
import type { Snapshot, UnitSnapshot } from "@/lib/snapshot";

export type { HaproxyData, HaproxyProxy, HaproxyRow } from "@/server/collectors/haproxy";
export type { RedisData, RedisReplicaLink } from "@/server/collectors/redis";
export type { SentinelData, SentinelView, SentinelReplica } from "@/server/collectors/sentinel";
export type { VrrpData, VrrpNodeView } from "@/server/collectors/vrrp";
export type { PostgresData } from "@/server/collectors/postgres";
export type { DataOf } from "@/server/collectors/registry";

export type DataKind = Kind;

export interface TypedUnit<K extends Kind> extends Omit<UnitSnapshot, "data"> {
  kind: K;
  data: DataOf<K> | null;
}

/** A unit's data comes only from its own kind's collector, so its kind says the shape of its data. */
const ofKind =
  <K extends Kind>(kind: K) =>
  (u: UnitSnapshot): u is TypedUnit<K> =>
    u.kind === kind;

/** Every unit of one kind, in config order, with its data typed. */
export function unitsOfKind<K extends Kind>(snapshot: Snapshot, kind: K): TypedUnit<K>[] {
  return snapshot.units.filter(ofKind(kind));
}

/** One unit by key, typed by its kind. */
export function unitByKey<K extends Kind>(snapshot: Snapshot, kind: K, key: string): TypedUnit<K> | undefined {
  const isKind = ofKind(kind);
  return snapshot.units.find((u): u is TypedUnit<K> => u.key === key && isKind(u));
}

/**
 * Typed access to a unit's collector data in a snapshot. The snapshot carries `data: unknown` (each
 * collector's own shape); the kind says which shape it is. Type-only imports: nothing of the
 * server's code reaches the browser.
 */
import type { HaproxyData } from "@/server/collectors/haproxy";
import type { PatroniData } from "@/server/collectors/patroni";
import type { RedisData } from "@/server/collectors/redis";
import type { SentinelData } from "@/server/collectors/sentinel";
import type { PostgresData } from "@/server/collectors/types";
import type { VrrpData } from "@/server/collectors/vrrp";
import type { Snapshot, UnitSnapshot } from "@/lib/snapshot";

export type { HaproxyData, HaproxyProxy, HaproxyRow } from "@/server/collectors/haproxy";
export type { RedisData, RedisReplicaLink } from "@/server/collectors/redis";
export type { SentinelData, SentinelView, SentinelReplica } from "@/server/collectors/sentinel";
export type { VrrpData, VrrpNodeView } from "@/server/collectors/vrrp";
export type { PostgresData } from "@/server/collectors/types";

interface DataByKind {
  patroni: PatroniData;
  postgres: PostgresData;
  sentinel: SentinelData;
  redis: RedisData;
  haproxy: HaproxyData;
  vrrp: VrrpData;
}
export type DataKind = keyof DataByKind;

export interface TypedUnit<K extends DataKind> extends Omit<UnitSnapshot, "data"> {
  kind: K;
  data: DataByKind[K] | null;
}

/** Every unit of one kind, in config order, with its data typed. */
export function unitsOfKind<K extends DataKind>(snapshot: Snapshot, kind: K): TypedUnit<K>[] {
  return snapshot.units.filter((u) => u.kind === kind) as TypedUnit<K>[];
}

/** One unit by key, typed by the kind its key starts with. */
export function unitByKey<K extends DataKind>(snapshot: Snapshot, kind: K, key: string): TypedUnit<K> | undefined {
  const u = snapshot.units.find((x) => x.key === key && x.kind === kind);
  return u as TypedUnit<K> | undefined;
}

import type { HaproxyRow } from "@/server/collectors/haproxy";
import type { HttpData } from "@/server/collectors/http";
import type { PatroniData } from "@/server/collectors/patroni";
import type { RedisData } from "@/server/collectors/redis";
import type { SentinelData } from "@/server/collectors/sentinel";
import type { TcpData } from "@/server/collectors/tcp";
import type { MarketData, PostgresData, ProbeResult } from "@/server/collectors/types";
import type { VrrpData } from "@/server/collectors/vrrp";
import type { HealthKind } from "@/lib/health";

export type { HealthKind } from "@/lib/health";

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
 * The fields of each collector's data that the health model reads. Picked rather than whole, so
 * collectors can grow (offsets, ping times, ...) without touching the rules or their tests.
 */
export interface KindData {
  patroni: Pick<PatroniData, "leader" | "paused" | "unanswered"> & {
    members: Pick<PatroniData["members"][number], "name" | "role" | "state" | "host" | "port">[];
  };
  postgres: Pick<PostgresData, "inRecovery"> & {
    standby: Pick<NonNullable<PostgresData["standby"]>, "replayLagSeconds" | "replayPaused" | "walReceiver"> | null;
    replication: Pick<PostgresData["replication"][number], "applicationName" | "state">[];
  };
  sentinel: Pick<SentinelData, "master" | "agree"> & {
    /** Every answering sentinel's CKQUORUM is OK (newer collectors; absent means not checked). */
    quorumOk?: boolean | null;
    sentinels: Pick<SentinelData["sentinels"][number], "address" | "ok" | "master" | "flags" | "quorum" | "error">[];
  };
  redis: Pick<RedisData, "role" | "masterLinkStatus" | "masterAddress" | "usedMemory" | "maxMemory" | "connectedReplicas">;
  marketdata: Pick<MarketData, "key" | "ageSeconds">;
  haproxy: { proxies: { name: string; servers: Pick<HaproxyRow, "name" | "status" | "address" | "backup">[] }[] };
  vrrp: Pick<VrrpData, "instance" | "vips" | "masters"> & {
    nodes: Pick<VrrpData["nodes"][number], "name" | "state" | "error">[];
  };
  http: Pick<HttpData, "statusCode">;
  tcp: Partial<TcpData>;
}

/** The data of an observation of kind K, when the probe produced any. */
export function dataOf<K extends HealthKind>(o: Observation, kind: K): KindData[K] | undefined {
  if (o.kind !== kind) return undefined;
  return (o.result.ok ? o.result.data : o.result.data) as KindData[K] | undefined;
}

interface TargetBase {
  id: string;
  component: string;
  intervalMs?: number;
}

/**
 * What the health model needs of the config. Both the loaded `Config` and the schema's `HaConfig`
 * satisfy it; tests may build it with `HaConfig.parse`.
 */
export interface HealthConfig {
  defaults: { intervalMs: number; rise: number; fall: number };
  components: readonly { id: string; name: string; layer: string; sla: number }[];
  clusters: readonly (TargetBase & { maxLagSeconds?: number; nodes: readonly { name: string; dsn: string }[] })[];
  sentinels: readonly TargetBase[];
  redis: readonly (TargetBase & { url: string; maxMemoryRatio?: number })[];
  haproxy: readonly TargetBase[];
  vrrp: readonly TargetBase[];
  http: readonly (TargetBase & { expectStatus?: number })[];
  tcp: readonly TargetBase[];
  marketData: readonly (TargetBase & { maxAgeSeconds?: number })[];
}

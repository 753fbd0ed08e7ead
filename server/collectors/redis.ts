import { z } from "zod";
import { InlineUrlWithoutPassword, SecretRef, TargetBase } from "@/server/config/fields";
import { describeRedisError, redisEndpointFromUrl, withRedis } from "./redis-connection";
import type { EntryOf, KindDef, ProbeResult, Section } from "./types";
import { num, since, hostPortOfUrl } from "./util";
import { judgeRedis, type RedisHealthData } from "@/server/health/judge";

export const RedisInstance = z.strictObject({
  ...TargetBase,
  url: InlineUrlWithoutPassword("redis://10.0.1.50:6379"),
  password: SecretRef.optional(),
  /** Share of maxmemory above which the instance is DEGRADED; the seed uses 0.9. */
  maxMemoryRatio: z.number().gt(0).lte(1).optional(),
});

export const REDIS: Section<"redis", typeof RedisInstance> = { name: "redis", schema: RedisInstance };
export type RedisTarget = EntryOf<typeof REDIS>;

/** One replica as its master lists it in INFO replication (`slave0:ip=…,port=…,state=…,offset=…,lag=…`). */
export interface RedisReplicaLink {
  address: string;
  state: string | null;
  /** Replication offset the replica acknowledged. */
  offset: number | null;
  /** master_repl_offset − offset: bytes the replica has not acknowledged yet. */
  offsetLag: number | null;
  /** Seconds since the replica's last ACK (INFO's `lag`). */
  lagSeconds: number | null;
}

export interface RedisData {
  /** master or slave, as INFO replication says. */
  role: string;
  /** Round trip of one PING on the open connection. */
  pingMs: number;
  /** Time to get a usable connection this poll (0 when the cached connection was reused). */
  connectMs: number;
  connectedReplicas: number | null;
  /** The node's own replication offset (on a replica: how far it has processed its master's stream). */
  masterReplOffset: number | null;
  /** Master only: its replicas with their offsets. */
  replicas: RedisReplicaLink[];
  /** For a replica: up or down. */
  masterLinkStatus: string | null;
  /** For a replica: host:port of its master. */
  masterAddress: string | null;
  /** Replica only: offset applied, offset read from the master, seconds since the master last sent anything. */
  slaveReplOffset: number | null;
  slaveReadReplOffset: number | null;
  masterLastIoSecondsAgo: number | null;
  usedMemory: number | null;
  /** 0 means no limit. */
  maxMemory: number | null;
}

/** Parse `INFO` text into key → value. */
export function parseInfo(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    if (!line || line.startsWith("#")) continue;
    const i = line.indexOf(":");
    if (i > 0) out.set(line.slice(0, i), line.slice(i + 1));
  }
  return out;
}


/** `ip=127.0.0.1,port=6392,state=online,offset=1642,lag=0` → fields. */
function parseFields(v: string): Map<string, string> {
  return new Map(v.split(",").map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)] as const));
}

/** The replication and memory part of RedisData, from INFO replication + INFO memory. */
export function redisInfoData(info: Map<string, string>): Omit<RedisData, "pingMs" | "connectMs"> {
  const masterHost = info.get("master_host");
  const masterReplOffset = num(info.get("master_repl_offset"));
  const replicas: RedisReplicaLink[] = [];
  for (const [k, v] of info) {
    if (!/^slave\d+$/.test(k)) continue;
    const f = parseFields(v);
    const ip = f.get("ip") ?? "?";
    const offset = num(f.get("offset"));
    replicas.push({
      address: `${ip.includes(":") ? `[${ip}]` : ip}:${f.get("port") ?? "?"}`,
      state: f.get("state") ?? null,
      offset,
      offsetLag: masterReplOffset !== null && offset !== null ? Math.max(0, masterReplOffset - offset) : null,
      lagSeconds: num(f.get("lag")),
    });
  }
  return {
    role: info.get("role") ?? "unknown",
    connectedReplicas: num(info.get("connected_slaves")),
    masterReplOffset,
    replicas,
    masterLinkStatus: info.get("master_link_status") ?? null,
    masterAddress: masterHost ? `${masterHost}:${info.get("master_port") ?? "?"}` : null,
    slaveReplOffset: num(info.get("slave_repl_offset")),
    slaveReadReplOffset: num(info.get("slave_read_repl_offset")),
    masterLastIoSecondsAgo: num(info.get("master_last_io_seconds_ago")),
    usedMemory: num(info.get("used_memory")),
    maxMemory: num(info.get("maxmemory")),
  };
}

export async function probeRedis(target: RedisTarget, signal: AbortSignal): Promise<ProbeResult<RedisData>> {
  const start = performance.now();
  try {
    const endpoint = redisEndpointFromUrl(target.url, target.password?.reveal());
    const data = await withRedis(endpoint, signal, target.timeoutMs, async (client, { connectMs }) => {
      const pingStart = performance.now();
      await client.ping();
      const pingMs = since(pingStart);
      const [replication, memory] = await Promise.all([client.info("replication"), client.info("memory")]);
      return { ...redisInfoData(parseInfo(`${replication}\n${memory}`)), pingMs, connectMs } satisfies RedisData;
    });
    return { ok: true, latencyMs: since(start), data };
  } catch (e) {
    return { ok: false, latencyMs: since(start), error: describeRedisError(e, signal, start) };
  }
}

export const redisCollector: KindDef<"redis", typeof REDIS, RedisTarget, RedisData, { redis: readonly RedisTarget[] }, RedisHealthData> = {
  kind: "redis",
  section: REDIS,
  units: (config) => config.redis.map((r) => ({ entry: r, target: r })),
  probe: probeRedis,
  judge: judgeRedis,
  judgeOptions: (r, base) => ({ ...base, maxMemoryRatio: r.maxMemoryRatio ?? base.maxMemoryRatio }),
  address: (r) => hostPortOfUrl(r.url, 6379),
};

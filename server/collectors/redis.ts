import "server-only";
import { withRedis } from "./redis-connection";
import type { Collector, ProbeResult, RedisTarget } from "./types";
import { describeError, since } from "./util";

export interface RedisData {
  /** master or slave, as INFO replication says. */
  role: string;
  connectedReplicas: number | null;
  /** For a replica: up or down. */
  masterLinkStatus: string | null;
  /** For a replica: host:port of its master. */
  masterAddress: string | null;
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

const num = (v: string | undefined) => (v === undefined || Number.isNaN(Number(v)) ? null : Number(v));

export async function probeRedis(target: RedisTarget, signal: AbortSignal): Promise<ProbeResult<RedisData>> {
  const start = performance.now();
  const url = new URL(target.url);
  try {
    const data = await withRedis(
      {
        host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
        port: Number(url.port || 6379),
        username: decodeURIComponent(url.username) || undefined,
        password: target.password?.reveal() || undefined,
        db: Number(url.pathname.slice(1)) || 0,
      },
      signal,
      target.timeoutMs,
      async (client) => {
        const info = parseInfo(`${await client.info("replication")}\n${await client.info("memory")}`);
        const masterHost = info.get("master_host");
        return {
          role: info.get("role") ?? "unknown",
          connectedReplicas: num(info.get("connected_slaves")),
          masterLinkStatus: info.get("master_link_status") ?? null,
          masterAddress: masterHost ? `${masterHost}:${info.get("master_port") ?? "?"}` : null,
          usedMemory: num(info.get("used_memory")),
          maxMemory: num(info.get("maxmemory")),
        } satisfies RedisData;
      },
    );
    return { ok: true, latencyMs: since(start), data };
  } catch (e) {
    return { ok: false, latencyMs: since(start), error: describeError(e, signal, start) };
  }
}

export const redisCollector: Collector<"redis", RedisTarget, RedisData> = { kind: "redis", probe: probeRedis };

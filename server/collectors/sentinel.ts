import "server-only";
import { withRedis } from "./redis-connection";
import type { Collector, ProbeResult, SentinelTarget } from "./types";
import { describeError, since, splitHostPort } from "./util";

export interface SentinelView {
  address: string;
  ok: boolean;
  /** host:port of the master this sentinel reports, or null. */
  master: string | null;
  /** Sentinel's flags for the master, e.g. ["master"] or ["master", "s_down"]. */
  flags: string[];
  replicas: number | null;
  otherSentinels: number | null;
  quorum: number | null;
  latencyMs: number;
  error: string | null;
}

export interface SentinelData {
  masterName: string;
  /** The master named by the sentinels that answered, when they agree. */
  master: string | null;
  agree: boolean;
  sentinels: SentinelView[];
}

function pairs(reply: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (!Array.isArray(reply)) return out;
  for (let i = 0; i + 1 < reply.length; i += 2) out.set(String(reply[i]), String(reply[i + 1]));
  return out;
}

const num = (v: string | undefined) => (v === undefined || Number.isNaN(Number(v)) ? null : Number(v));

async function askSentinel(target: SentinelTarget, address: string, signal: AbortSignal): Promise<SentinelView> {
  const start = performance.now();
  const base = { address, master: null, flags: [], replicas: null, otherSentinels: null, quorum: null };
  try {
    return await withRedis(
      { ...splitHostPort(address), password: target.sentinelPassword?.reveal() || undefined },
      signal,
      target.timeoutMs,
      async (client) => {
        const addr = (await client.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", target.masterName)) as unknown;
        if (!Array.isArray(addr) || addr.length < 2) {
          return { ...base, ok: false, latencyMs: since(start), error: `does not know master "${target.masterName}"` };
        }
        const info = pairs(await client.call("SENTINEL", "MASTER", target.masterName));
        return {
          address,
          ok: true,
          master: `${String(addr[0])}:${String(addr[1])}`,
          flags: (info.get("flags") ?? "").split(",").filter(Boolean),
          replicas: num(info.get("num-slaves")),
          otherSentinels: num(info.get("num-other-sentinels")),
          quorum: num(info.get("quorum")),
          latencyMs: since(start),
          error: null,
        };
      },
    );
  } catch (e) {
    return { ...base, ok: false, latencyMs: since(start), error: describeError(e, signal, start) };
  }
}

/** Ask every sentinel of the group, concurrently, which node is the master. */
export async function probeSentinel(target: SentinelTarget, signal: AbortSignal): Promise<ProbeResult<SentinelData>> {
  const start = performance.now();
  const sentinels = await Promise.all(target.sentinels.map((a) => askSentinel(target, a, signal)));
  const masters = [...new Set(sentinels.flatMap((s) => (s.master ? [s.master] : [])))];
  const data: SentinelData = {
    masterName: target.masterName,
    master: masters.length === 1 ? (masters[0] ?? null) : null,
    agree: masters.length <= 1,
    sentinels,
  };
  const latencyMs = since(start);
  if (masters.length === 0) {
    const reasons = sentinels.map((s) => `${s.address}: ${s.error}`).join("; ");
    return { ok: false, latencyMs, error: `no sentinel named a master: ${reasons}`, data };
  }
  return { ok: true, latencyMs, data };
}

export const sentinelCollector: Collector<"sentinel", SentinelTarget, SentinelData> = { kind: "sentinel", probe: probeSentinel };

import { z } from "zod";
import { Id, TargetBase } from "@/server/config/fields";
import type { RedisTarget } from "./redis";
import { describeRedisError, endpointAddress, redisEndpointFromUrl, withRedis, type RedisEndpoint } from "./redis-connection";
import { sentinelAuth, type SentinelTarget } from "./sentinel";
import type { EntryOf, KindDef, ProbeResult, Sample, Section } from "./types";
import { since, splitHostPort } from "./util";
import { judgeMarketData, type MarketHealthData } from "@/server/health/judge";

export const MarketDataCheck = z.strictObject({
  ...TargetBase,
  /** The id of a `sentinels` group or a `redis` instance holding the key. */
  redis: Id,
  key: z.string().min(1).default("last_market_update"),
  maxAgeSeconds: z.number().positive().default(5),
});

export const MARKET_DATA: Section<"marketData", typeof MarketDataCheck> = { name: "marketData", schema: MarketDataCheck };
export type MarketDataTarget = EntryOf<typeof MARKET_DATA>;

/** The monitored stack's Redis, as a market-data check needs it: the referenced Sentinel group or instance. */
export interface MarketDataProbeTarget {
  check: MarketDataTarget;
  source: { kind: "sentinel"; group: SentinelTarget } | { kind: "redis"; instance: RedisTarget };
}

/** The part of the config a market-data unit reads: its checks and the Redis they reference. */
export interface MarketDataConfig {
  marketData: readonly MarketDataTarget[];
  sentinels: readonly SentinelTarget[];
  redis: readonly RedisTarget[];
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

/** Set by the seed's VRRP notify scripts (`redis-cli SET trading:enabled true|false`). */
export const TRADING_ENABLED_KEY = "trading:enabled";
/** A timestamp further ahead than this is not clock skew but a wrong unit or a wrong writer. */
const MAX_FUTURE_MS = 60_000;

const EPOCH = /^\s*\d+(\.\d+)?\s*$/;

/**
 * Seconds since the feed last wrote, from the seed's integer epoch seconds and, when present, its
 * `<key>_ms` twin (epoch milliseconds, for sub-second age). The fresher of the two wins, so a twin
 * nobody maintains any more cannot make fresh data look stale. Both absent: null (NO_DATA).
 */
export function marketDataAge(seconds: string | null, millis: string | null, nowMs: number): { ageSeconds: number | null } | { error: string } {
  const stamps: number[] = [];
  if (seconds !== null && EPOCH.test(seconds)) stamps.push(Number(seconds) * 1000);
  if (millis !== null && EPOCH.test(millis)) stamps.push(Number(millis));
  if (stamps.length === 0) {
    return seconds === null && millis === null ? { ageSeconds: null } : { error: "the key does not hold an epoch timestamp" };
  }
  const last = Math.max(...stamps);
  if (last - nowMs > MAX_FUTURE_MS) return { error: `the timestamp is ${Math.round((last - nowMs) / 1000)} s in the future (wrong unit or clock)` };
  // A writer whose clock runs slightly ahead is fresh, not negative.
  return { ageSeconds: Math.max(0, Math.round(nowMs - last) / 1000) };
}

/** "true"/"1"/"yes"/"on" → true, "false"/"0"/"no"/"off" → false, anything else (or absent) → null. */
export function parseFlag(v: string | null): boolean | null {
  if (v === null) return null;
  const s = v.trim().toLowerCase();
  if (["true", "1", "yes", "on"].includes(s)) return true;
  if (["false", "0", "no", "off"].includes(s)) return false;
  return null;
}

/**
 * The current master as the first sentinel to answer names it. All are asked at once, so a frozen
 * sentinel costs nothing while another answers.
 */
function masterFromSentinels(group: SentinelTarget, signal: AbortSignal, start: number): Promise<{ host: string; port: number }> {
  return new Promise((resolve, reject) => {
    const reasons: string[] = [];
    let failed = 0;
    group.sentinels.forEach((address, i) => {
      withRedis({ ...splitHostPort(address), ...sentinelAuth(group) }, signal, group.timeoutMs, (c) =>
        c.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", group.masterName),
      ).then(
        (addr) => {
          if (Array.isArray(addr) && addr.length >= 2) resolve({ host: String(addr[0]), port: Number(addr[1]) });
          else reasons[i] = `${address}: does not know master "${group.masterName}"`;
        },
        (e: unknown) => (reasons[i] = `${address}: ${describeRedisError(e, signal, start, undefined, "Sentinel")}`),
      ).finally(() => {
        if (reasons[i] !== undefined && ++failed === group.sentinels.length) {
          reject(new NoMasterError(`no sentinel named a master: ${reasons.join("; ")}`));
        }
      });
    });
  });
}

class NoMasterError extends Error {}

export async function probeMarketData(
  { check, source }: MarketDataProbeTarget,
  signal: AbortSignal,
  now: () => number = Date.now,
): Promise<ProbeResult<MarketData>> {
  const start = performance.now();
  let where: string | undefined;
  try {
    let endpoint: RedisEndpoint;
    if (source.kind === "sentinel") {
      const master = await masterFromSentinels(source.group, signal, start);
      endpoint = { ...master, username: source.group.username, password: source.group.password?.reveal() || undefined };
    } else {
      endpoint = redisEndpointFromUrl(source.instance.url, source.instance.password?.reveal());
    }
    where = endpointAddress(endpoint);
    const [seconds, millis, enabled] = await withRedis(endpoint, signal, check.timeoutMs, (c) =>
      c.mget(check.key, `${check.key}_ms`, TRADING_ENABLED_KEY),
    );
    const age = marketDataAge(seconds ?? null, millis ?? null, now());
    const latencyMs = since(start);
    if ("error" in age) return { ok: false, latencyMs, error: `${check.key} on ${where}: ${age.error}` };
    return { ok: true, latencyMs, data: { key: check.key, ageSeconds: age.ageSeconds, tradingEnabled: parseFlag(enabled ?? null), readFrom: where } };
  } catch (e) {
    const error = e instanceof NoMasterError ? e.message : describeRedisError(e, signal, start, where);
    return { ok: false, latencyMs: since(start), error };
  }
}

/** The check with the Sentinel group or instance it names; the loader already refused a reference to nothing. */
export function marketDataUnits(config: MarketDataConfig) {
  return config.marketData.flatMap((check) => {
    const group = config.sentinels.find((s) => s.id === check.redis);
    const instance = config.redis.find((r) => r.id === check.redis);
    const source: MarketDataProbeTarget["source"] | undefined = group ? { kind: "sentinel", group } : instance ? { kind: "redis", instance } : undefined;
    return source ? [{ entry: check, target: { check, source } }] : [];
  });
}

export function marketDataSamples(d: MarketData, unit: { targetId: string }): Sample[] {
  return d.ageSeconds === null ? [] : [{ subject: unit.targetId, metric: "market_data_age_s", value: d.ageSeconds }];
}

export const marketdataCollector: KindDef<"marketdata", typeof MARKET_DATA, MarketDataProbeTarget, MarketData, MarketDataConfig, MarketHealthData> = {
  kind: "marketdata",
  section: MARKET_DATA,
  units: marketDataUnits,
  probe: (target, signal) => probeMarketData(target, signal),
  samples: marketDataSamples,
  judge: judgeMarketData,
  judgeOptions: (t, base) => ({ ...base, maxAgeSeconds: t.check.maxAgeSeconds ?? base.maxAgeSeconds }),
};

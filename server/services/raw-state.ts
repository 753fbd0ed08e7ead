import "server-only";
import { collectors, type ProbeKind } from "@/server/collectors";
import type { HaproxyData } from "@/server/collectors/haproxy";
import type { HttpData } from "@/server/collectors/http";
import type { PatroniData } from "@/server/collectors/patroni";
import type { RedisData } from "@/server/collectors/redis";
import type { SentinelData } from "@/server/collectors/sentinel";
import type { TcpData } from "@/server/collectors/tcp";
import type { Collector, ProbeResult } from "@/server/collectors/types";
import { urlEndpoint, urlWithoutSecrets } from "@/server/collectors/util";
import type { VrrpData } from "@/server/collectors/vrrp";
import type { Config } from "@/server/config/load";
import { collectSecrets, redactDeep } from "@/server/redact";
import type { Status } from "@/lib/status";

/** One target's latest probe, in a browser-safe form: names, statuses and numbers, never credentials. */
export interface TargetState<K extends string, D> {
  id: string;
  name: string;
  component: string;
  kind: K;
  /** Where it was probed: host:port list or a URL without user info or query. */
  endpoint: string;
  status: Status;
  latencyMs: number | null;
  /** Why the probe failed (safe to show). */
  error: string | null;
  data: D | null;
}

export interface RawState {
  title: string;
  generatedAt: Date;
  durationMs: number;
  clusters: TargetState<"patroni", PatroniData>[];
  sentinels: TargetState<"sentinel", SentinelData>[];
  redis: TargetState<"redis", RedisData>[];
  haproxy: TargetState<"haproxy", HaproxyData>[];
  vrrp: TargetState<"vrrp", VrrpData>[];
  http: TargetState<"http", HttpData>[];
  tcp: TargetState<"tcp", TcpData>[];
  marketData: TargetState<"marketData", null>[];
}

/** How long past its deadline a collector may take to wind down before it is reported as stuck. */
const GRACE_MS = 250;

/** Run one probe under a deadline. A collector that throws or ignores its signal is a bug, reported as a failed probe. */
export async function runProbe<T, D>(collector: Collector<string, T, D>, target: T, timeoutMs: number): Promise<ProbeResult<D>> {
  const signal = AbortSignal.timeout(timeoutMs);
  const start = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stuck = new Promise<ProbeResult<D>>((resolve) => {
    timer = setTimeout(
      () => resolve({ ok: false, latencyMs: Math.round(performance.now() - start), error: "probe did not stop at its deadline" }),
      timeoutMs + GRACE_MS,
    );
  });
  try {
    return await Promise.race([collector.probe(target, signal), stuck]);
  } catch (e) {
    console.error(`[raw-state] the ${collector.kind} collector threw instead of returning a result:`, e);
    return { ok: false, latencyMs: Math.round(performance.now() - start), error: "probe crashed (see the server log)" };
  } finally {
    clearTimeout(timer);
  }
}

interface TargetBase {
  id: string;
  name?: string;
  component: string;
  timeoutMs?: number;
}

async function probeAll<K extends ProbeKind, T extends TargetBase, D>(
  kind: K,
  collector: Collector<K, T, D>,
  targets: T[],
  config: Config,
  endpoint: (t: T) => string,
): Promise<TargetState<K, D>[]> {
  return Promise.all(
    targets.map(async (t) => {
      const r = await runProbe(collector, t, t.timeoutMs ?? config.defaults.timeoutMs);
      return {
        id: t.id,
        name: t.name ?? t.id,
        component: t.component,
        kind,
        endpoint: endpoint(t),
        status: r.ok ? "UP" : "DOWN",
        latencyMs: r.latencyMs,
        error: r.ok ? null : r.error,
        data: r.data ?? null,
      } satisfies TargetState<K, D>;
    }),
  );
}

/** Probe every configured target once, all concurrently, each under its own deadline. */
export async function getRawState(config: Config): Promise<RawState> {
  const start = performance.now();
  const [clusters, sentinels, redis, haproxy, vrrp, http, tcp] = await Promise.all([
    probeAll("patroni", collectors.patroni, config.clusters, config, (t) => t.nodes.map((n) => urlEndpoint(n.rest)).join(", ")),
    probeAll("sentinel", collectors.sentinel, config.sentinels, config, (t) => t.sentinels.join(", ")),
    probeAll("redis", collectors.redis, config.redis, config, (t) => urlEndpoint(t.url)),
    probeAll("haproxy", collectors.haproxy, config.haproxy, config, (t) => (t.statsUrl ? urlWithoutSecrets(t.statsUrl) : "admin socket")),
    probeAll("vrrp", collectors.vrrp, config.vrrp, config, (t) => t.vips.join(", ")),
    probeAll("http", collectors.http, config.http, config, (t) => urlWithoutSecrets(t.url)),
    probeAll("tcp", collectors.tcp, config.tcp, config, (t) => t.address),
  ]);
  const marketData = config.marketData.map(
    (t): TargetState<"marketData", null> => ({
      id: t.id,
      name: t.name ?? t.id,
      component: t.component,
      kind: "marketData",
      endpoint: `${t.redis} → ${t.key}`,
      status: "NO_DATA",
      latencyMs: null,
      error: "not collected yet",
      data: null,
    }),
  );
  const state: RawState = {
    title: config.title,
    generatedAt: new Date(),
    durationMs: Math.round(performance.now() - start),
    clusters,
    sentinels,
    redis,
    haproxy,
    vrrp,
    http,
    tcp,
    marketData,
  };
  return redactDeep(state, collectSecrets(config));
}

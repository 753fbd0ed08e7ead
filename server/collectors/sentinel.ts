import { Redis } from "ioredis";
import { z } from "zod";
import { TargetActions } from "@/server/config/actions";
import { HostPort, SecretRef, TargetBase } from "@/server/config/fields";
import { CONNECTION_NAME, describeRedisError, withRedis } from "./redis-connection";
import type { EntryOf, KindDef, ProbeResult, PushEvent, Section } from "./types";
import { num, since, splitHostPort } from "./util";
import { judgeSentinel, type SentinelHealthData } from "@/server/health/judge";

export const SentinelGroup = z
  .strictObject({
    ...TargetBase,
    masterName: z.string().min(1, { error: "expected the name Sentinel monitors, e.g. mymaster" }),
    sentinels: z.array(HostPort).min(1, { error: "list at least one sentinel as host:port" }),
    /** The Redis nodes' ACL user and password (roles, the market-data key); no username means `default`. */
    username: z.string().min(1, { error: "expected a Redis ACL username" }).optional(),
    password: SecretRef.optional(),
    /** The Sentinels' own ACL user and password (`requirepass`, or a `user` line in sentinel.conf). */
    sentinelUsername: z.string().min(1, { error: "expected a Sentinel ACL username" }).optional(),
    sentinelPassword: SecretRef.optional(),
    actions: TargetActions.optional(),
  })
  .refine((g) => g.username === undefined || g.password !== undefined, {
    error: "a username needs its password: add password: { env: VAR } or { file: path }",
    path: ["password"],
  })
  .refine((g) => g.sentinelUsername === undefined || g.sentinelPassword !== undefined, {
    error: "sentinelUsername needs sentinelPassword: { env: VAR } or { file: path }",
    path: ["sentinelPassword"],
  });

/** How the dashboard authenticates to the group's Sentinels. */
export function sentinelAuth(group: { sentinelUsername?: string; sentinelPassword?: { reveal(): string } }): { username?: string; password?: string } {
  const password = group.sentinelPassword?.reveal() || undefined;
  return password ? { username: group.sentinelUsername, password } : {};
}

export const SENTINELS: Section<"sentinels", typeof SentinelGroup> = { name: "sentinels", schema: SentinelGroup };
export type SentinelTarget = EntryOf<typeof SENTINELS>;

/** One replica as a sentinel sees it (SENTINEL REPLICAS). */
export interface SentinelReplica {
  address: string;
  /** e.g. ["slave"] or ["s_down", "slave", "disconnected"]. */
  flags: string[];
  /** "ok" or "err". */
  masterLinkStatus: string | null;
  replOffset: number | null;
}

export interface SentinelView {
  address: string;
  ok: boolean;
  /** host:port of the master this sentinel reports, or null. */
  master: string | null;
  /** Sentinel's flags for the master, e.g. ["master"] or ["master", "s_down"]. */
  flags: string[];
  /** num-slaves of SENTINEL MASTER. */
  replicas: number | null;
  otherSentinels: number | null;
  quorum: number | null;
  configEpoch: number | null;
  failoverTimeoutMs: number | null;
  /** SENTINEL REPLICAS. */
  replicaNodes: SentinelReplica[];
  /** How many other sentinels SENTINEL SENTINELS lists. */
  knownSentinels: number | null;
  /** SENTINEL CKQUORUM: "OK 3 usable Sentinels…" or the NOQUORUM reason. */
  ckquorum: { ok: boolean; message: string } | null;
  latencyMs: number;
  error: string | null;
}

export interface SentinelData {
  masterName: string;
  /** The master named by the sentinels that answered, when they agree. */
  master: string | null;
  agree: boolean;
  /** Every answering sentinel's CKQUORUM is OK; null when none answered. */
  quorumOk: boolean | null;
  sentinels: SentinelView[];
}

/** A flat [k1, v1, k2, v2, …] reply → map. */
export function pairs(reply: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (!Array.isArray(reply)) return out;
  for (let i = 0; i + 1 < reply.length; i += 2) out.set(String(reply[i]), String(reply[i + 1]));
  return out;
}

const flagList = (v: string | undefined) => (v ?? "").split(",").filter(Boolean);

/** SENTINEL MASTER <name> → the fields the dashboard shows. */
export function parseSentinelMaster(reply: unknown) {
  const m = pairs(reply);
  return {
    flags: flagList(m.get("flags")),
    replicas: num(m.get("num-slaves")),
    otherSentinels: num(m.get("num-other-sentinels")),
    quorum: num(m.get("quorum")),
    configEpoch: num(m.get("config-epoch")),
    failoverTimeoutMs: num(m.get("failover-timeout")),
  };
}

/** SENTINEL REPLICAS <name> → one row per replica. */
export function parseSentinelReplicas(reply: unknown): SentinelReplica[] {
  if (!Array.isArray(reply)) return [];
  return reply.map((r) => {
    const m = pairs(r);
    const ip = m.get("ip") ?? "?";
    return {
      address: `${ip.includes(":") ? `[${ip}]` : ip}:${m.get("port") ?? "?"}`,
      flags: flagList(m.get("flags")),
      masterLinkStatus: m.get("master-link-status") ?? null,
      replOffset: num(m.get("slave-repl-offset")),
    };
  });
}

/** Each command's reply or its error: one failing command (NOQUORUM) must not hide the others. */
const settle = (p: Promise<unknown>) => p.then((value) => ({ value }), (error: unknown) => ({ error }));

async function askSentinel(target: SentinelTarget, address: string, signal: AbortSignal): Promise<SentinelView> {
  const start = performance.now();
  const base: SentinelView = {
    address, ok: false, master: null, flags: [], replicas: null, otherSentinels: null, quorum: null, configEpoch: null,
    failoverTimeoutMs: null, replicaNodes: [], knownSentinels: null, ckquorum: null, latencyMs: 0, error: null,
  };
  try {
    return await withRedis(
      { ...splitHostPort(address), ...sentinelAuth(target) },
      signal,
      target.timeoutMs,
      async (client) => {
        const ask = (...args: string[]) => settle(client.call("SENTINEL", ...args, target.masterName));
        // Sent together: one round trip, not five.
        const [addr, master, replicas, sentinels, ckquorum] = await Promise.all([
          ask("GET-MASTER-ADDR-BY-NAME"), ask("MASTER"), ask("REPLICAS"), ask("SENTINELS"), ask("CKQUORUM"),
        ]);
        const done = (v: Partial<SentinelView>): SentinelView => ({ ...base, ...v, latencyMs: since(start) });
        if ("error" in addr) throw addr.error;
        if (!Array.isArray(addr.value) || addr.value.length < 2) return done({ error: `does not know master "${target.masterName}"` });
        return done({
          ok: true,
          master: `${String(addr.value[0])}:${String(addr.value[1])}`,
          ...("value" in master ? parseSentinelMaster(master.value) : {}),
          replicaNodes: "value" in replicas ? parseSentinelReplicas(replicas.value) : [],
          knownSentinels: "value" in sentinels && Array.isArray(sentinels.value) ? sentinels.value.length : null,
          ckquorum:
            "value" in ckquorum
              ? { ok: String(ckquorum.value).startsWith("OK"), message: String(ckquorum.value) }
              : { ok: false, message: describeRedisError(ckquorum.error, signal, start).replace(/^redis replied: /, "") },
        });
      },
    );
  } catch (e) {
    return { ...base, latencyMs: since(start), error: describeRedisError(e, signal, start, undefined, "Sentinel") };
  }
}

/** Ask every sentinel of the group, concurrently, which node is the master and how the group sees it. */
export async function probeSentinel(target: SentinelTarget, signal: AbortSignal): Promise<ProbeResult<SentinelData>> {
  const start = performance.now();
  const sentinels = await Promise.all(target.sentinels.map((a) => askSentinel(target, a, signal)));
  const masters = [...new Set(sentinels.flatMap((s) => (s.master ? [s.master] : [])))];
  const quorums = sentinels.flatMap((s) => (s.ok && s.ckquorum ? [s.ckquorum.ok] : []));
  const data: SentinelData = {
    masterName: target.masterName,
    master: masters.length === 1 ? (masters[0] ?? null) : null,
    agree: masters.length <= 1,
    quorumOk: quorums.length === 0 ? null : quorums.every(Boolean),
    sentinels,
  };
  const latencyMs = since(start);
  if (masters.length === 0) {
    const reasons = sentinels.map((s) => `${s.address}: ${s.error}`).join("; ");
    return { ok: false, latencyMs, error: `no sentinel named a master: ${reasons}`, data };
  }
  return { ok: true, latencyMs, data };
}

// ---------------------------------------------------------------- push events

/**
 * The Sentinel event channels worth an immediate re-probe. Only the failover leader publishes the
 * detailed `+try-failover … +failover-end` sequence, so the watcher listens on every sentinel.
 */
export const SENTINEL_EVENT_PATTERNS = [
  "+switch-master", "+sdown", "-sdown", "+odown", "-odown", "+try-failover", "+elected-leader", "+promoted-slave",
  "+failover-*", "-failover-abort-*", "+convert-to-slave", "+role-change", "-role-change",
] as const;

/**
 * The master an event concerns. Payloads are `<name> <old ip> <old port> <new ip> <new port>` for
 * +switch-master, `master <name> <ip> <port>` for the master itself, and
 * `<type> <instance> <ip> <port> @ <master name> <master ip> <master port>` for replicas and sentinels.
 */
export function eventMasterName(type: string, payload: string): string | null {
  const words = payload.trim().split(/\s+/);
  if (type === "+switch-master") return words[0] ?? null;
  const at = words.indexOf("@");
  if (at >= 0) return words[at + 1] ?? null;
  return words[0] === "master" ? (words[1] ?? null) : null;
}

/**
 * Returns a filter that passes an event the first time it is seen and drops the same type+payload
 * seen again within `windowMs` (every sentinel that observes a change publishes it).
 */
export function createEventDeduper(windowMs: number, now: () => number): (type: string, payload: string) => boolean {
  const seen = new Map<string, number>();
  return (type, payload) => {
    const t = now();
    for (const [k, at] of seen) if (t - at >= windowMs) seen.delete(k);
    const key = `${type} ${payload}`;
    if (seen.has(key)) return false;
    seen.set(key, t);
    return true;
  };
}

/** Reconnect delay after `attempt` failed attempts in a row: doubling, capped, with up to 20% jitter. */
export function backoffMs(attempt: number, minMs: number, maxMs: number, random = Math.random): number {
  const base = Math.min(maxMs, minMs * 2 ** Math.min(attempt, 20));
  return Math.round(base * (1 + 0.2 * random()));
}

export interface WatchOptions {
  now?: () => number;
  /** Same event from several sentinels within this window counts once (default 1000 ms). */
  dedupeMs?: number;
  /** Reconnect backoff (default 250 ms doubling to 5 s). */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** A PING this often detects a sentinel that stopped answering (default 5 s). */
  heartbeatMs?: number;
  /** Bound for connecting, AUTH, PSUBSCRIBE and each heartbeat (default 2 s). */
  commandTimeoutMs?: number;
}

export interface SentinelWatch {
  close(): void;
  /** Addresses of the sentinels currently subscribed. */
  subscribed(): string[];
}

/** A connection that stayed subscribed this long resets the backoff. */
const STABLE_MS = 10_000;

/** A subscriber connection to one sentinel; it never reconnects by itself (watchSentinel does, with backoff). */
function eventClient(address: string, timeoutMs: number): Redis {
  return new Redis({
    ...splitHostPort(address),
    protocol: 2,
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    enableReadyCheck: false,
    autoResubscribe: false,
    autoResendUnfulfilledCommands: false,
    disableClientInfo: true,
  });
}

/**
 * Subscribes to the event channels on every sentinel of the group and calls `onEvent` for each
 * event about the group's master, once however many sentinels report it. A sentinel that goes
 * away is reconnected with backoff; one that stops answering is found by a heartbeat.
 */
export function watchSentinel(target: SentinelTarget, onEvent: (e: PushEvent) => void, options: WatchOptions = {}): SentinelWatch {
  const now = options.now ?? Date.now;
  const fresh = createEventDeduper(options.dedupeMs ?? 1_000, now);
  const minBackoff = options.minBackoffMs ?? 250;
  const maxBackoff = options.maxBackoffMs ?? 5_000;
  const heartbeatMs = options.heartbeatMs ?? 5_000;
  const timeout = options.commandTimeoutMs ?? 2_000;
  const { username, password } = sentinelAuth(target);
  let closed = false;
  const live = new Set<string>();
  const cleanups: (() => void)[] = [];

  const deliver = (address: string, type: string, payload: string) => {
    const name = eventMasterName(type, payload);
    if (name !== null && name !== target.masterName) return;
    if (!fresh(type, payload)) return;
    try {
      onEvent({ at: now(), targetId: target.id, source: address, type, message: payload });
    } catch {
      // A failing listener must not take the subscription down with it.
    }
  };

  const link = (address: string) => {
    let attempts = 0;
    let client: Redis | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;

    const connect = () => {
      if (closed) return;
      const c = eventClient(address, timeout);
      client = c;
      let heartbeat: ReturnType<typeof setInterval> | undefined;
      let subscribedAt: number | undefined;
      let finished = false;
      const finish = () => {
        if (finished) return;
        finished = true;
        clearInterval(heartbeat);
        live.delete(address);
        c.disconnect();
        if (client === c) client = undefined;
        if (closed) return;
        if (subscribedAt !== undefined && performance.now() - subscribedAt >= STABLE_MS) attempts = 0;
        retry = setTimeout(connect, backoffMs(attempts++, minBackoff, maxBackoff));
      };
      c.on("error", () => {});
      c.on("end", finish);
      c.on("pmessage", (_pattern: string, channel: string, message: string) => deliver(address, channel, message));
      (async () => {
        await c.connect();
        if (password) await c.call("AUTH", ...(username ? [username] : []), password);
        await c.call("CLIENT", "SETNAME", `${CONNECTION_NAME}-events`).catch(() => {});
        await c.psubscribe(...SENTINEL_EVENT_PATTERNS);
        if (finished) return;
        subscribedAt = performance.now();
        live.add(address);
        heartbeat = setInterval(() => void c.ping().catch(finish), heartbeatMs);
      })().catch(finish);
    };

    cleanups.push(() => {
      clearTimeout(retry);
      client?.disconnect();
      live.delete(address);
    });
    connect();
  };

  for (const address of target.sentinels) link(address);
  return {
    close() {
      closed = true;
      for (const c of cleanups) c();
    },
    subscribed: () => [...live],
  };
}

export const sentinelCollector: KindDef<"sentinel", typeof SENTINELS, SentinelTarget, SentinelData, { sentinels: readonly SentinelTarget[] }, SentinelHealthData> = {
  kind: "sentinel",
  section: SENTINELS,
  units: (config) => config.sentinels.map((s) => ({ entry: s, target: s })),
  probe: probeSentinel,
  watch: (target, onEvent) => watchSentinel(target, onEvent),
  judge: judgeSentinel,
};

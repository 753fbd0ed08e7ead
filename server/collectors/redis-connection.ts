import { createHash } from "node:crypto";
import { Redis, type RedisOptions } from "ioredis";
import { describeError, since } from "./util";

/** Upper bound for ioredis' own timers; the caller's AbortSignal is the real deadline. */
const HARD_TIMEOUT_MS = 5_000;
/** A cached client nobody used for this long is closed (a target left the config, a secret was rotated). */
const IDLE_CLOSE_MS = 5 * 60_000;
/** What the dashboard's connections are called in CLIENT LIST. */
export const CONNECTION_NAME = "ha-control-room";

export interface RedisEndpoint {
  host: string;
  port: number;
  username?: string;
  /** Revealed only here, at connect time. */
  password?: string;
  db?: number;
}

/** What `work` learns about the connection it was given. */
export interface ConnectionInfo {
  /** Time this call waited for a usable connection: 0 when the cached one was already open. */
  connectMs: number;
  reused: boolean;
}

/** `redis://user@host:port/db` (password from the target's secret) → endpoint. */
export function redisEndpointFromUrl(url: string, password: string | undefined): RedisEndpoint {
  const u = new URL(url);
  return {
    host: u.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: Number(u.port || 6379),
    username: decodeURIComponent(u.username) || undefined,
    password: password || undefined,
    db: Number(u.pathname.slice(1)) || 0,
  };
}

/** host:port as it is shown (IPv6 in brackets). */
export function endpointAddress(e: { host: string; port: number }): string {
  return e.host.includes(":") ? `[${e.host}]:${e.port}` : `${e.host}:${e.port}`;
}

interface Entry {
  key: string;
  client: Redis;
  /** Resolves once connected, authenticated and on the right database; rejects when that failed. */
  ready: Promise<void>;
  isReady: boolean;
  /** Calls currently using the client: a retired client is closed when the last one leaves. */
  users: number;
  lastUsed: number;
  retired: boolean;
  /** Latest error the socket reported (ECONNREFUSED, a protocol error, ...), which beats "Connection is closed.". */
  socketError: unknown;
}

type Registry = Map<string, Entry>;
// On globalThis so that Next's dev reload, which re-evaluates this module, reuses the open clients instead of leaking them.
const store = globalThis as typeof globalThis & { __hacrRedisClients?: Registry };
const registry: Registry = (store.__hacrRedisClients ??= new Map());

/**
 * One client per endpoint, user and database. A fingerprint of the password is part of the key, so two
 * targets that reach one server with different credentials each keep their own client instead of
 * replacing each other's on every poll.
 */
function endpointKey(e: RedisEndpoint): string {
  const secret = e.password ? createHash("sha256").update(e.password).digest("hex").slice(0, 12) : "-";
  return `${e.username ?? ""}@${endpointAddress(e)}/${e.db ?? 0}#${secret}`;
}

function retire(entry: Entry): void {
  entry.retired = true;
  if (registry.get(entry.key) === entry) registry.delete(entry.key);
  if (entry.users === 0) entry.client.disconnect();
}

function open(endpoint: RedisEndpoint, key: string, timeoutMs: number | undefined): Entry {
  const bound = Math.min(timeoutMs ?? HARD_TIMEOUT_MS, HARD_TIMEOUT_MS);
  const options: RedisOptions = {
    host: endpoint.host,
    port: endpoint.port,
    // RESP2 everywhere: Sentinel and older servers answer it, and replies keep one shape.
    protocol: 2,
    lazyConnect: true,
    connectTimeout: bound,
    commandTimeout: HARD_TIMEOUT_MS,
    // No reconnects, no offline queue, no retries: a broken client is replaced by the next poll, so an
    // unreachable endpoint costs one bounded connection attempt per poll, never a retry storm.
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    enableReadyCheck: false,
    autoResendUnfulfilledCommands: false,
    disableClientInfo: true,
  };
  const client = new Redis(options);
  const entry: Entry = {
    key,
    client,
    ready: Promise.resolve(),
    isReady: false,
    users: 0,
    lastUsed: performance.now(),
    retired: false,
    socketError: undefined,
  };
  client.on("error", (e) => {
    entry.socketError = e;
  });
  client.on("end", () => retire(entry));
  entry.ready = (async () => {
    try {
      await client.connect();
    } catch (e) {
      throw entry.socketError ?? e;
    }
    // AUTH by hand: ioredis only warns when a server has no password set, and a config that expects
    // one while the server has none is a misconfiguration the operator should see.
    if (endpoint.password) {
      await client.call("AUTH", ...(endpoint.username ? [endpoint.username] : []), endpoint.password);
    }
    if (endpoint.db) await client.select(endpoint.db);
    await client.call("CLIENT", "SETNAME", CONNECTION_NAME).catch(() => {});
    entry.isReady = true;
  })();
  // Handled here as well: a caller that hit its deadline no longer awaits it.
  entry.ready.catch(() => retire(entry));
  return entry;
}

/** Closes cached clients unused for `maxIdleMs`; runs on every acquire, the map is small. */
export function closeIdleRedisClients(maxIdleMs = IDLE_CLOSE_MS): void {
  const now = performance.now();
  for (const entry of [...registry.values()]) if (entry.users === 0 && now - entry.lastUsed >= maxIdleMs) retire(entry);
}

function acquire(endpoint: RedisEndpoint, timeoutMs: number | undefined): Entry {
  closeIdleRedisClients();
  const key = endpointKey(endpoint);
  const cached = registry.get(key);
  if (cached && !cached.retired && !["end", "close"].includes(cached.client.status)) return cached;
  if (cached) retire(cached);
  const entry = open(endpoint, key, timeoutMs);
  registry.set(key, entry);
  return entry;
}

const isReplyError = (e: unknown) => e instanceof Error && e.name === "ReplyError";

/**
 * Run `work` on the cached client of `endpoint`, opening it first when there is none (or the cached
 * one broke). Rejects with an AbortError when `signal` aborts first. A connection that missed a
 * deadline or failed at the socket level is not trusted again: it is closed and the next call opens
 * a fresh one. Error replies (WRONGPASS, NOQUORUM, ...) leave a connected client in place.
 */
export async function withRedis<T>(
  endpoint: RedisEndpoint,
  signal: AbortSignal,
  timeoutMs: number | undefined,
  work: (client: Redis, info: ConnectionInfo) => Promise<T>,
): Promise<T> {
  signal.throwIfAborted();
  const entry = acquire(endpoint, timeoutMs);
  entry.users++;
  entry.lastUsed = performance.now();
  const start = performance.now();
  const reused = entry.isReady;
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason ?? new DOMException("aborted", "AbortError"));
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([
      (async () => {
        await entry.ready;
        return work(entry.client, { connectMs: reused ? 0 : since(start), reused });
      })(),
      aborted,
    ]);
  } catch (e) {
    if (signal.aborted || !entry.isReady || !isReplyError(e)) retire(entry);
    // "Connection is closed." says less than the socket error that caused it.
    const cause = !signal.aborted && !isReplyError(e) && entry.socketError ? entry.socketError : e;
    throw redact(cause, endpoint.password);
  } finally {
    signal.removeEventListener("abort", onAbort);
    entry.users--;
    entry.lastUsed = performance.now();
    if (entry.retired && entry.users === 0) entry.client.disconnect();
  }
}

/** Servers do not echo passwords, but a message is checked before it can travel further. */
function redact(e: unknown, secret: string | undefined): unknown {
  if (secret && e instanceof Error && e.message.includes(secret)) e.message = e.message.replaceAll(secret, "[redacted]");
  return e;
}

/**
 * The authentication replies in plain words. The server's own text is kept only where it names a
 * command (NOPERM); none of these replies carries a password.
 */
function describeAuthReply(message: string, who: string): string | null {
  if (message.startsWith("WRONGPASS")) return `${who} refused the credentials (WRONGPASS); check the username and password`;
  if (message.startsWith("NOAUTH")) return `${who} requires a password (NOAUTH); set one in the config`;
  if (message.startsWith("NOPERM")) return `the ${who} user lacks a permission (${message.slice(0, 120)})`;
  if (/^ERR AUTH .*without any password configured/.test(message)) return `a password is configured but ${who} has none set (AUTH refused)`;
  return null;
}

/** describeError plus the failures only a Redis client has: a peer that does not speak RESP, a closed connection, refused credentials. */
export function describeRedisError(e: unknown, signal: AbortSignal, start: number, where?: string, who: "Redis" | "Sentinel" = "Redis"): string {
  if (!signal.aborted && e instanceof Error) {
    const suffix = where ? ` (${where})` : "";
    const auth = e.name === "ReplyError" ? describeAuthReply(e.message, who) : null;
    if (auth) return `${auth}${suffix}`;
    if (/^Protocol error|unexpected|^Unknown RESP type|^Invalid/i.test(e.message) && e.name !== "ReplyError") {
      return `the peer does not speak the Redis protocol${suffix}`;
    }
    if (e.message === "Connection is closed.") return `connection closed by the peer${suffix}`;
  }
  return describeError(e, signal, start, where);
}

/** Close every cached client (server shutdown, tests). */
export function closeRedisClients(): void {
  for (const entry of [...registry.values()]) {
    entry.retired = true;
    entry.client.disconnect();
  }
  registry.clear();
}

/** Number of cached clients (tests, diagnostics). */
export function cachedRedisClients(): number {
  return registry.size;
}

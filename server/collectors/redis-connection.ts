import "server-only";
import { Redis, type RedisOptions } from "ioredis";

/** Upper bound for ioredis' own timers; the caller's AbortSignal is the real deadline. */
const HARD_TIMEOUT_MS = 5_000;

export interface RedisEndpoint {
  host: string;
  port: number;
  username?: string;
  /** Revealed only here, at connect time. */
  password?: string;
  db?: number;
}

/**
 * One short-lived connection: connect, run `work`, always disconnect. No reconnects, no offline
 * queue and no retries, so an unreachable node costs one connection attempt, not a retry storm.
 * Rejects with an AbortError when `signal` aborts first.
 */
export async function withRedis<T>(
  endpoint: RedisEndpoint,
  signal: AbortSignal,
  timeoutMs: number | undefined,
  work: (client: Redis) => Promise<T>,
): Promise<T> {
  signal.throwIfAborted();
  const bound = Math.min(timeoutMs ?? HARD_TIMEOUT_MS, HARD_TIMEOUT_MS);
  const options: RedisOptions = {
    ...endpoint,
    lazyConnect: true,
    connectTimeout: bound,
    commandTimeout: bound,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    enableReadyCheck: false,
    autoResendUnfulfilledCommands: false,
    disableClientInfo: true,
    connectionName: "ha-control-room",
  };
  const client = new Redis(options);
  // connect() rejects with a bare "Connection is closed."; the socket's own error (ECONNREFUSED, ...) comes as an event.
  let socketError: unknown;
  client.on("error", (e) => {
    socketError ??= e;
  });
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason ?? new DOMException("aborted", "AbortError"));
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([
      (async () => {
        try {
          await client.connect();
        } catch (e) {
          throw socketError ?? e;
        }
        return work(client);
      })(),
      aborted,
    ]);
  } finally {
    signal.removeEventListener("abort", onAbort);
    client.disconnect();
  }
}

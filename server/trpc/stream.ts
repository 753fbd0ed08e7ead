import "server-only";
import { pause } from "@/lib/async";
import { AppError } from "@/server/errors";

/**
 * SSE keep-alive: the server pings every 2 s when it has nothing to send, and tells the client (in the
 * stream's first message) to drop and reopen a stream that has been silent for 5 s. A half-open
 * connection (a NAT or proxy that forgot it, a frozen server) is so replaced before the wall turns red.
 */
export const SSE_PING_MS = 2_000;
export const SSE_RECONNECT_AFTER_INACTIVITY_MS = 5_000;

/** How often a live subscription re-checks that its session or kiosk token is still good. */
export const SUBSCRIPTION_RECHECK_MS = 30_000;

export function isAsyncIterable(x: unknown): x is AsyncIterable<unknown> {
  return typeof x === "object" && x !== null && Symbol.asyncIterator in x;
}

const TICK: unique symbol = Symbol("tick");

/** Passes `src` through, checking `stillValid` every `everyMs`; throws UNAUTHORIZED once it is not. */
export async function* endWhenInvalid<T>(
  src: AsyncIterable<T>,
  stillValid: () => Promise<boolean>,
  everyMs: number,
  now: () => number = Date.now,
): AsyncGenerator<T, void, undefined> {
  const it = src[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<T>> | null = null;
  let nextCheck = now() + everyMs;
  try {
    for (;;) {
      pending ??= it.next();
      const stop = new AbortController();
      const r = await Promise.race([pending, pause(Math.max(0, nextCheck - now()), stop.signal).then((): typeof TICK => TICK)]);
      stop.abort();
      if (r === TICK) {
        nextCheck = now() + everyMs;
        if (!(await stillValid())) throw new AppError("UNAUTHORIZED", "Your session has ended; sign in again");
        continue;
      }
      pending = null;
      if (r.done) return;
      yield r.value;
    }
  } finally {
    // Not awaited: a source waiting for its next value would hold this up; it ends on its own signal.
    it.return?.().catch(() => {});
  }
}

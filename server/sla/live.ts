import "server-only";
import { pause } from "@/lib/async";
import type { SlaWall } from "./model";

/** Budgets move slowly: the server recomputes the wall's SLA figures this often and pushes them. */
export const SLA_WALL_EVERY_MS = 60_000;

/**
 * The wall's SLA figures (`compute`, e.g. slaWall) as a live feed: now, then every `everyMs` while the
 * subscriber stays. The server does the periodic work, so the page only listens and never polls.
 * A failed computation (the store is down) skips that turn: the wall keeps what it has.
 */
export async function* slaWallFeed(
  compute: () => Promise<SlaWall>,
  signal: AbortSignal | undefined,
  opts: { everyMs?: number; onError?: (e: unknown) => void } = {},
): AsyncGenerator<SlaWall> {
  while (!signal?.aborted) {
    let figures: SlaWall | undefined;
    try {
      figures = await compute();
    } catch (e) {
      opts.onError?.(e);
    }
    if (figures && !signal?.aborted) yield figures;
    await pause(opts.everyMs ?? SLA_WALL_EVERY_MS, signal);
  }
}

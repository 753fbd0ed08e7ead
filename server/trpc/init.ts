import "server-only";
import { initTRPC } from "@trpc/server";
import superjson from "superjson";
import { getConfig } from "@/server/config";
import type { Config } from "@/server/config/load";
import { getRuntime } from "@/server/runtime";
import type { Runtime } from "@/server/runtime/runtime";
import { getStore, type Store } from "@/server/store";
import { toTRPCError } from "./errors";

/**
 * 1. Context. `getConfig`, `getRuntime` and `getStore` are injectable so tests (createCaller) can run against a config of their own.
 */
export interface CreateContextOptions {
  headers: Headers;
  getConfig?: () => Config;
  getRuntime?: () => Runtime | undefined;
  getStore?: () => Promise<Store>;
}

export function createTRPCContext(opts: CreateContextOptions) {
  return { headers: opts.headers, getConfig: opts.getConfig ?? getConfig, getRuntime: opts.getRuntime ?? getRuntime, getStore: opts.getStore ?? getStore };
}
export type Context = ReturnType<typeof createTRPCContext>;

/**
 * 2. Initialisation.
 */
/**
 * SSE keep-alive: the server pings every 2 s when it has nothing to send, and tells the client (in the
 * stream's first message) to drop and reopen a stream that has been silent for 5 s. A half-open
 * connection (a NAT or proxy that forgot it, a frozen server) is so replaced before the wall turns red.
 */
export const SSE_PING_MS = 2_000;
export const SSE_RECONNECT_AFTER_INACTIVITY_MS = 5_000;

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  sse: { ping: { enabled: true, intervalMs: SSE_PING_MS }, client: { reconnectAfterInactivityMs: SSE_RECONNECT_AFTER_INACTIVITY_MS } },
});

export const createCallerFactory = t.createCallerFactory;
export const createTRPCRouter = t.router;

/**
 * 3. Procedures. Every procedure goes through the one error mapper.
 */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) throw toTRPCError(result.error);
  return result;
});

export const publicProcedure = t.procedure.use(mapErrors);

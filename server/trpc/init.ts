import "server-only";
import { initTRPC } from "@trpc/server";
import superjson from "superjson";
import { ROLES, hasRole, type Actor, type Role, type Viewer } from "@/lib/roles";
import { getAuthRuntime, resolveRequest } from "@/server/auth";
import type { Auth } from "@/server/auth/auth";
import { getConfig } from "@/server/config";
import type { Config } from "@/server/config/load";
import { AppError } from "@/server/errors";
import { getRuntime } from "@/server/runtime";
import type { Runtime } from "@/server/runtime/runtime";
import { getStore, type Store } from "@/server/store";
import { toTRPCError } from "./errors";
import { auditRefusal } from "./refusals";
import { SSE_PING_MS, SSE_RECONNECT_AFTER_INACTIVITY_MS, SUBSCRIPTION_RECHECK_MS, endWhenInvalid, isAsyncIterable } from "./stream";

export type { Actor, Role, UserActor } from "@/lib/roles";

/**
 * 1. Context. `getConfig`, `getRuntime`, `getStore` and the clock `now` are injectable so tests
 * (createCaller) can run against a config and a time of their own; `actor` is who is asking (null:
 * nobody signed in). Procedures read the clock through `ctx.now()` and pass the time down.
 */
interface Injected {
  now?: () => number;
  getConfig?: () => Config;
  getRuntime?: () => Runtime | undefined;
  getStore?: () => Promise<Store>;
  /** better-auth, for its password hasher (admin procedures that set a password). */
  getAuth?: () => Promise<Auth>;
}

const defaultGetAuth = async () => (await getAuthRuntime()).auth;

export interface Context {
  headers: Headers;
  /** The signed-in person or kiosk token; null when the request carries neither (or it expired). */
  actor: Actor | null;
  /** What the browser may be told about the actor (name, user name, role; a kiosk's label). */
  viewer: Viewer | null;
  /** The client address (for the audit log): the socket's, or what a trusted proxy forwarded (server/auth/client-address.ts). */
  ip: string | null;
  /** The signed-in user's session (null for a kiosk or nobody): when it began proves a fresh sign-in. */
  session: { id: string; createdAt: number } | null;
  /** The request came from the dashboard's own pages (Origin / Sec-Fetch-Site); every mutation requires it. */
  sameOrigin: boolean;
  /** Whether the actor's session or token is still good; long-lived subscriptions re-check it. */
  stillValid: () => Promise<boolean>;
  now: () => number;
  getConfig: () => Config;
  getRuntime: () => Runtime | undefined;
  getStore: () => Promise<Store>;
  getAuth: () => Promise<Auth>;
}

export interface CreateContextOptions extends Injected {
  headers: Headers;
}

/** The context of an HTTP request (or a server component): the actor comes from the session or kiosk cookie. */
export async function createTRPCContext(opts: CreateContextOptions): Promise<Context> {
  const getConfigFn = opts.getConfig ?? getConfig;
  const req = await resolveRequest(opts.headers);
  return {
    headers: opts.headers,
    actor: req.actor,
    viewer: req.viewer,
    ip: req.ip,
    session: req.session,
    sameOrigin: req.sameOrigin,
    stillValid: req.stillValid,
    now: opts.now ?? Date.now,
    getConfig: getConfigFn,
    getRuntime: opts.getRuntime ?? getRuntime,
    getStore: opts.getStore ?? getStore,
    getAuth: opts.getAuth ?? defaultGetAuth,
  };
}

export interface InnerContextOptions extends Injected {
  actor: Actor | null;
  headers?: Headers;
  ip?: string | null;
  session?: { id: string; createdAt: number } | null;
  /** Default true: a call made by server code (or a test) is not a cross-site request. */
  sameOrigin?: boolean;
  stillValid?: () => Promise<boolean>;
}

/** A context with the actor given, for tests and server-side callers: `createCaller(createInnerTRPCContext({ actor }))`. */
export function createInnerTRPCContext(opts: InnerContextOptions): Context {
  return {
    headers: opts.headers ?? new Headers(),
    actor: opts.actor,
    viewer: viewerOf(opts.actor),
    ip: opts.ip ?? null,
    session: opts.session ?? null,
    sameOrigin: opts.sameOrigin ?? true,
    stillValid: opts.stillValid ?? (async () => opts.actor !== null),
    now: opts.now ?? Date.now,
    getConfig: opts.getConfig ?? getConfig,
    getRuntime: opts.getRuntime ?? getRuntime,
    getStore: opts.getStore ?? getStore,
    getAuth: opts.getAuth ?? defaultGetAuth,
  };
}

function viewerOf(actor: Actor | null): Viewer | null {
  if (!actor) return null;
  return actor.kind === "kiosk" ? { kind: "kiosk", label: actor.tokenId } : { kind: "user", name: actor.name, username: null, role: actor.role };
}

/**
 * 2. Initialisation. The SSE keep-alive settings live in ./stream.
 */

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  sse: { ping: { enabled: true, intervalMs: SSE_PING_MS }, client: { reconnectAfterInactivityMs: SSE_RECONNECT_AFTER_INACTIVITY_MS } },
});

export const createCallerFactory = t.createCallerFactory;
export const createTRPCRouter = t.router;

/**
 * 3. Procedures. Every procedure goes through the one error mapper, and every mutation through
 * the CSRF check; a kiosk token can never run a mutation, whatever procedure it is.
 */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) throw toTRPCError(result.error);
  return result;
});

type ProcedureType = "query" | "mutation" | "subscription";

/** Refuses the call, after recording the refusal in the audit log (rate-limited per actor, see ./refusals). */
async function refuse(ctx: Context, call: { path: string; type: ProcedureType }, code: "FORBIDDEN" | "UNAUTHORIZED", why: string): Promise<never> {
  await auditRefusal({ actor: ctx.actor, ip: ctx.ip, path: call.path, type: call.type, why, at: ctx.now(), getStore: ctx.getStore });
  throw new AppError(code, why);
}

const guardMutations = t.middleware(async ({ ctx, type, path, next }) => {
  if (type === "mutation") {
    if (!ctx.sameOrigin) await refuse(ctx, { path, type }, "FORBIDDEN", "Refused: the request did not come from this dashboard's pages (Origin / Sec-Fetch-Site check)");
    if (ctx.actor?.kind === "kiosk") await refuse(ctx, { path, type }, "FORBIDDEN", "A kiosk token can only read");
  }
  return next();
});

/** No sign-in needed. Only for what a signed-out browser must reach (the sign-in page's own needs). */
export const publicProcedure = t.procedure.use(mapErrors).use(guardMutations);

const requireActor = t.middleware(async ({ ctx, type, path, next }) => {
  const actor = ctx.actor;
  if (!actor) {
    // An attempt to act is recorded; a signed-out page still polling is not worth a row per poll.
    if (type === "mutation") await refuse(ctx, { path, type }, "UNAUTHORIZED", "Sign in to see this");
    throw new AppError("UNAUTHORIZED", "Sign in to see this");
  }
  const result = await next({ ctx: { actor } });
  if (type === "subscription" && result.ok && isAsyncIterable(result.data)) {
    // A subscription outlives the request that opened it; end it when the session or token does.
    (result as { data: unknown }).data = endWhenInvalid(result.data, ctx.stillValid, SUBSCRIPTION_RECHECK_MS, ctx.now);
  }
  return result;
});

/** Any signed-in user or kiosk token: reads (queries and subscriptions). */
export const viewerProcedure = publicProcedure.use(requireActor);

/**
 * Signed-in users (never a kiosk token) holding at least one of `roles` on the ladder of
 * lib/roles.ts (viewer < operator < approver < admin). `ctx.actor` is then a UserActor.
 */
export function roleProcedure(...roles: [Role, ...Role[]]) {
  const lowest = roles.reduce((a, b) => (ROLES.indexOf(a) <= ROLES.indexOf(b) ? a : b));
  return viewerProcedure.use(async ({ ctx, type, path, next }) => {
    const actor = ctx.actor;
    if (actor.kind !== "user") return refuse(ctx, { path, type }, "FORBIDDEN", "A kiosk token can only read");
    if (!hasRole(actor.role, lowest)) return refuse(ctx, { path, type }, "FORBIDDEN", `This needs the ${lowest} role; you are ${actor.role}`);
    return next({ ctx: { actor } });
  });
}

/** Operators and above: request actions. */
export const operatorProcedure = roleProcedure("operator");
/** Approvers and above: approve someone else's request. */
export const approverProcedure = roleProcedure("approver");
/** Admins: users, kiosk tokens, maintenance. */
export const adminProcedure = roleProcedure("admin");

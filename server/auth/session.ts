/**
 * Who a request is: a better-auth session (checked against our idle and absolute limits) or a
 * kiosk cookie. The clock is a parameter so tests can age a session without waiting.
 */
import { isRole, type Actor, type UserActor } from "../../lib/roles";
import { deleteSession, findUserById, sessionTimes, touchSession } from "../store/auth";
import type { Store } from "../store/store";
import type { Auth } from "./auth";
import { KIOSK_COOKIE, kioskStillLive, verifyKioskToken } from "./kiosk";
import { sessionVerdict, shouldTouch, type SessionPolicy, type SessionVerdict } from "./policy";

export interface SessionDeps {
  auth: Auth;
  store: Store;
  policy: SessionPolicy;
}

export type ResolvedActor =
  | { actor: UserActor; sessionId: string; sessionCreatedAt: number; username: string | null; mustChangePassword: boolean }
  | { actor: Extract<Actor, { kind: "kiosk" }>; label: string }
  | null;

/** The cookie's value, or undefined. */
export function cookieValue(headers: Headers, name: string): string | undefined {
  const raw = headers.get("cookie");
  if (!raw) return undefined;
  for (const part of raw.split(";")) {
    const i = part.indexOf("=");
    if (i < 0) continue;
    if (part.slice(0, i).trim() === name) {
      try {
        return decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** The header the dashboard's pages send on requests a person started (a click, a key, a mutation). */
export const ACTIVITY_HEADER = "x-hacr-activity";

/**
 * Whether a person started this request, so it counts as use of the session: the pages' own mark
 * (lib/trpc/client.tsx sets it on mutations and after real input), a full page load the browser
 * says a person made (Sec-Fetch-User, or a top-level navigation), or a client-side navigation
 * (an RSC request that is not a prefetch). Polling and subscriptions carry none of these.
 */
export function isUserActivity(headers: Headers): boolean {
  if (headers.get(ACTIVITY_HEADER) === "1") return true;
  if (headers.get("sec-fetch-user") === "?1") return true;
  if (headers.get("sec-fetch-mode") === "navigate" && headers.get("sec-fetch-dest") === "document") return true;
  return headers.get("rsc") === "1" && headers.get("next-router-prefetch") === null;
}

/**
 * The signed-in user of these headers at `now`, or null. A session past its idle or absolute limit
 * is deleted (so the cookie is dead everywhere); an active one has its last use moved forward only
 * when `activity` says a person made the request, so a page left polling still idles out.
 */
export async function sessionActor(
  deps: SessionDeps,
  headers: Headers,
  now: number,
  opts: { activity: boolean },
): Promise<Exclude<ResolvedActor, { label: string }>> {
  if (!headers.get("cookie")) return null;
  const found = await deps.auth.api.getSession({ headers, query: { disableCookieCache: true, disableRefresh: true } });
  if (!found) return null;
  const s = found.session as { id: string; createdAt: Date; lastSeenAt?: Date | string | null };
  const lastSeenAt = s.lastSeenAt ? new Date(s.lastSeenAt).getTime() : s.createdAt.getTime();
  const verdict = sessionVerdict({ createdAt: new Date(s.createdAt).getTime(), lastSeenAt }, now, deps.policy);
  if (verdict !== "active") {
    await deleteSession(deps.store, s.id);
    return null;
  }
  const u = found.user as { id: string; name: string; role?: unknown; username?: string | null };
  // Ours, not better-auth's fields (so they never reach a sign-in answer). Disabling ends the
  // sessions in its own transaction; this also covers a session created in the meantime.
  const state = await findUserById(deps.store, u.id);
  if (!state || state.disabledAt !== null) {
    await deleteSession(deps.store, s.id);
    return null;
  }
  if (opts.activity && shouldTouch(lastSeenAt, now)) await touchSession(deps.store, s.id, now);
  // An unknown role in the store reads as the least one rather than failing open.
  return {
    actor: { kind: "user", id: u.id, name: u.name, role: isRole(u.role) ? u.role : "viewer" },
    sessionId: s.id,
    sessionCreatedAt: new Date(s.createdAt).getTime(),
    username: u.username ?? null,
    mustChangePassword: state.mustChangePassword,
  };
}

/** A user session wins over a kiosk cookie in the same browser. `activity` defaults to what the headers say (isUserActivity). */
export async function resolveActor(deps: SessionDeps, headers: Headers, now: number, opts: { activity: boolean } = { activity: isUserActivity(headers) }): Promise<ResolvedActor> {
  const user = await sessionActor(deps, headers, now, opts);
  if (user) return user;
  const token = cookieValue(headers, KIOSK_COOKIE);
  if (!token) return null;
  const row = await verifyKioskToken(deps.store, token, now);
  return row ? { actor: { kind: "kiosk", tokenId: row.id }, label: row.label } : null;
}

/** Whether the session (by id) is still within its limits at `now`; does not count as use. */
export async function sessionStillActive(deps: Pick<SessionDeps, "store" | "policy">, sessionId: string, now: number): Promise<SessionVerdict | "gone"> {
  const t = await sessionTimes(deps.store, sessionId);
  if (!t) return "gone";
  if (t.expiresAt <= now) return "expired";
  return sessionVerdict(t, now, deps.policy);
}

export async function actorStillValid(deps: Pick<SessionDeps, "store" | "policy">, r: NonNullable<ResolvedActor>, now: number): Promise<boolean> {
  if (r.actor.kind === "kiosk") return kioskStillLive(deps.store, r.actor.tokenId);
  return (await sessionStillActive(deps, (r as { sessionId: string }).sessionId, now)) === "active";
}

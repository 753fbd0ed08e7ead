/**
 * better-auth's HTTP endpoints (/api/auth/*) as the dashboard serves them: the client's address
 * resolved here and nowhere else, the idle limit enforced before better-auth answers, wrong current
 * passwords at change-password counted like failed sign-ins, a password change audited and ending
 * the user's other sessions, and no session token in any answer (the httpOnly cookie carries it).
 * No "server-only": unit tests drive it with Requests.
 */
import { deleteSessionsById, otherSessionIds } from "../store/auth";
import type { Store } from "../store/store";
import { auditAdmin } from "./admin-audit";
import type { Auth } from "./auth";
import { CLIENT_ADDRESS_HEADER, clientAddress, type ProxyList } from "./client-address";
import type { LoginLimit, SessionPolicy } from "./policy";
import { passwordLockedFor, recordPasswordFailure, retryIn } from "./reauth";
import { sessionActor } from "./session";

export interface AuthHttpDeps {
  auth: Auth;
  store: Store;
  policy: SessionPolicy;
  limit: LoginLimit;
  proxies: ProxyList;
  now?: () => number;
  /** Whether the peer header comes from the dashboard's server (tests say so; production asks client-address.ts). */
  peerKnown?: boolean;
}

const PREFIX = "/api/auth";
/** Answers that would carry the session token (better-auth returns it for bearer-token clients; ours use the cookie). */
const TOKEN_BEARING = new Set(["/sign-in/username", "/sign-in/email", "/get-session", "/change-password"]);

export async function serveAuth(deps: AuthHttpDeps, req: Request): Promise<Response> {
  const now = deps.now ?? Date.now;
  const url = new URL(req.url);
  const path = url.pathname.startsWith(PREFIX) ? url.pathname.slice(PREFIX.length) : url.pathname;

  const headers = new Headers(req.headers);
  headers.delete(CLIENT_ADDRESS_HEADER);
  const { ip } = clientAddress(req.headers, deps.proxies, deps.peerKnown);
  if (ip) headers.set(CLIENT_ADDRESS_HEADER, ip);

  // Checked first so an idle session ends here rather than being answered (get-session) or used (change-password).
  const isSignIn = path.startsWith("/sign-in/");
  const user = !isSignIn && headers.get("cookie") ? await sessionActor(deps, headers, now(), { activity: req.method === "POST" }) : null;

  if (path === "/change-password" && req.method === "POST" && user) {
    const wait = await passwordLockedFor({ store: deps.store, limit: deps.limit, now: now() }, user.actor.id);
    if (wait > 0) {
      const s = Math.ceil(wait / 1000);
      return Response.json({ code: "TOO_MANY_ATTEMPTS", message: `Too many wrong passwords; ${retryIn(wait)}` }, { status: 429, headers: { "Retry-After": String(s) } });
    }
  }

  // The sessions that exist before the change, but the one making it: those end. Not "every other
  // session afterwards": with revokeOtherSessions better-auth replaces the current session by a new
  // one, which must survive.
  const changing = path === "/change-password" && req.method === "POST" && user;
  const before = changing ? await otherSessionIds(deps.store, user.actor.id, user.sessionId) : [];

  const body = req.method === "GET" || req.method === "HEAD" ? undefined : await req.arrayBuffer();
  const res = await deps.auth.handler(new Request(req.url, { method: req.method, headers, body }));

  if (path === "/change-password" && req.method === "POST" && user) {
    if (res.status === 400 && (await errorCode(res)) === "INVALID_PASSWORD") {
      await recordPasswordFailure({ store: deps.store, limit: deps.limit, now: now() }, user.actor.id);
    } else if (res.ok) {
      await deleteSessionsById(deps.store, user.actor.id, before);
      const ended = before.length;
      await auditAdmin(deps.store, {
        by: { id: user.actor.id, name: user.actor.name, role: user.actor.role, ip },
        event: "password_change",
        at: now(),
        target: user.username ?? user.actor.id,
        detail: `changed their own password; ${ended} other session(s) ended`,
      });
    }
  }

  return TOKEN_BEARING.has(path) ? withoutToken(res) : res;
}

async function errorCode(res: Response): Promise<string | null> {
  try {
    const j = (await res.clone().json()) as { code?: unknown };
    return typeof j.code === "string" ? j.code : null;
  } catch {
    return null;
  }
}

/** The same answer with `token` (and `session.token`) removed from its JSON body. */
async function withoutToken(res: Response): Promise<Response> {
  if (!res.headers.get("content-type")?.includes("application/json")) return res;
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return new Response(text, res);
  }
  if (json && typeof json === "object") {
    const o = json as Record<string, unknown>;
    delete o.token;
    if (o.session && typeof o.session === "object") delete (o.session as Record<string, unknown>).token;
  }
  const headers = new Headers(res.headers);
  headers.delete("content-length");
  return new Response(JSON.stringify(json), { status: res.status, statusText: res.statusText, headers });
}

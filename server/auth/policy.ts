/**
 * The pure rules of people and sessions: timeouts, sign-in limits, client address, same-origin
 * checks. No I/O and no clock: `now` is a parameter, so tests set it.
 */

export interface SessionPolicy {
  idleMs: number;
  absoluteMs: number;
}

export function sessionPolicyOf(s: { idleTimeoutMinutes: number; absoluteTimeoutHours: number }): SessionPolicy {
  return { idleMs: s.idleTimeoutMinutes * 60_000, absoluteMs: Math.round(s.absoluteTimeoutHours * 3_600_000) };
}

export type SessionVerdict = "active" | "idle" | "expired";

/** `expired` when older than the absolute limit (however active), `idle` when unused for the idle limit. */
export function sessionVerdict(s: { createdAt: number; lastSeenAt: number }, now: number, p: SessionPolicy): SessionVerdict {
  if (now - s.createdAt >= p.absoluteMs) return "expired";
  if (now - s.lastSeenAt >= p.idleMs) return "idle";
  return "active";
}

/**
 * Recording every request would write on every page load; once per this interval is enough, and
 * the idle timeout is then exact to within it.
 */
export const TOUCH_EVERY_MS = 15_000;

export function shouldTouch(lastSeenAt: number, now: number): boolean {
  return now - lastSeenAt >= TOUCH_EVERY_MS;
}

// ---------------------------------------------------------------- sign-in limits

export interface LoginLimit {
  windowMs: number;
  maxPerAccount: number;
  maxPerAddress: number;
}

export function loginLimitOf(s: { windowSeconds: number; maxFailuresPerAccount: number; maxFailuresPerAddress: number }): LoginLimit {
  return { windowMs: s.windowSeconds * 1000, maxPerAccount: s.maxFailuresPerAccount, maxPerAddress: s.maxFailuresPerAddress };
}

/** A fixed window of failures for one key. */
export interface FailureWindow {
  windowStart: number;
  count: number;
}

/** The window after one more failure at `now`: a window that ended starts again at 1. */
export function addFailure(w: FailureWindow | undefined, now: number, windowMs: number): FailureWindow {
  if (!w || now - w.windowStart >= windowMs) return { windowStart: now, count: 1 };
  return { windowStart: w.windowStart, count: w.count + 1 };
}

/** Milliseconds until the key may try again; 0 when it may now. */
export function retryAfterMs(w: FailureWindow | undefined, now: number, windowMs: number, max: number): number {
  if (!w || now - w.windowStart >= windowMs || w.count < max) return 0;
  return w.windowStart + windowMs - now;
}

/** The failures of one account: its user id when the name or email is known (both spell one account), else the name as typed. */
export const accountKey = (identifier: string) => `account:${identifier.trim().toLowerCase()}`;
export const userKey = (userId: string) => `user:${userId}`;
export const addressKey = (ip: string) => `address:${ip}`;

// ---------------------------------------------------------------- request facts

/**
 * CSRF defence for state-changing requests: the browser must say the request came from one of our
 * own pages. `Sec-Fetch-Site: same-origin` (set by the browser, unforgeable by page script) or an
 * `Origin` equal to the dashboard's own (its Host) or a configured trusted origin. A request
 * carrying neither is refused: every current browser sends at least one on a POST.
 */
export function isSameOriginRequest(headers: Headers, trustedOrigins: readonly string[] = []): boolean {
  const origin = headers.get("origin");
  const site = headers.get("sec-fetch-site");
  if (origin && origin !== "null" && trustedOrigins.includes(origin)) return true;
  if (site !== null) return site === "same-origin";
  if (!origin || origin === "null") return false;
  const host = headers.get("host");
  try {
    return host !== null && new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** This dashboard's origin as the browser addressed it: Host, and the scheme (a trusted proxy's X-Forwarded-Proto, see client-address.ts). */
export function ownOrigin(headers: Headers, proto: "http" | "https"): string | null {
  const host = headers.get("host");
  if (!host) return null;
  return `${proto}://${host}`;
}

/**
 * The request as addressed to the dashboard's own origin (from its Host), for better-auth, which takes
 * its base URL from the request's URL when `auth.baseURL` is unset. Next's route handlers see their
 * own listen address there instead (http://localhost:3100 for a browser on 127.0.0.1:3100), and the
 * single sign-on redirect URI and its state cookie must be on the origin the browser uses.
 */
export function requestAtOwnOrigin(req: Request, proto: "http" | "https"): Request {
  const origin = ownOrigin(req.headers, proto);
  const url = new URL(req.url);
  if (!origin || url.origin === origin || !URL.canParse(origin)) return req;
  const init: RequestInit & { duplex?: "half" } = { method: req.method, headers: req.headers, body: req.body, redirect: "manual", signal: req.signal };
  if (req.body) init.duplex = "half";
  return new Request(new URL(url.pathname + url.search, origin), init);
}

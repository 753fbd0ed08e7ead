/**
 * The security headers of every response the proxy sees: pure, so tests check the policy itself.
 * No "server-only": `proxy.ts` imports it.
 */

export interface HeaderSettings {
  /** `auth.baseURL` is https: browsers are told to use nothing else (HSTS). */
  https: boolean;
  /** `wall.frameAncestors`: who may frame the wall; nobody when empty. */
  wallFrameAncestors: readonly string[];
}

export const STRICT_HEADER_SETTINGS: HeaderSettings = { https: false, wallFrameAncestors: [] };

/** A fresh, unguessable nonce for one page response (128 random bits). */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

export const isWallPath = (pathname: string) => pathname === "/wall" || pathname.startsWith("/wall/");
export const isApiPath = (pathname: string) => pathname.startsWith("/api/");

/**
 * The page policy. Scripts: only those carrying this response's nonce (Next puts it on its own
 * scripts, read from this header) and what they load ('strict-dynamic'). Styles: elements (Next's
 * and Tailwind's stylesheet) need the nonce or our origin, but style *attributes* stay allowed:
 * Recharts and a few components render `style="…"` in the server HTML, which no nonce can cover,
 * and an attribute cannot run script. `'unsafe-eval'` only for `next dev`, whose React uses eval.
 */
export function pagePolicy(o: { nonce: string; frameAncestors: readonly string[]; https: boolean; dev: boolean }): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${o.nonce}' 'strict-dynamic'${o.dev ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${o.nonce}'`,
    `style-src-elem 'self' 'nonce-${o.nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${o.frameAncestors.length ? o.frameAncestors.join(" ") : "'none'"}`,
    ...(o.https ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}

/** API answers are data, never a document: nothing may load from them or frame them. */
export const API_POLICY = "default-src 'none'; frame-ancestors 'none'";

/**
 * The headers for one response. `nonce` is for pages (null for API routes). The wall may be framed by
 * the configured origins; every other page and every API answer by nobody.
 */
export function securityHeaders(pathname: string, s: HeaderSettings, nonce: string | null, dev = false): Record<string, string> {
  const api = isApiPath(pathname) || nonce === null;
  const ancestors = !api && isWallPath(pathname) ? s.wallFrameAncestors : [];
  const out: Record<string, string> = {
    "Content-Security-Policy": api ? API_POLICY : pagePolicy({ nonce: nonce!, frameAncestors: ancestors, https: s.https, dev }),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
  };
  // For browsers without CSP frame-ancestors; a wall framed by configured origins cannot say DENY.
  if (ancestors.length === 0) out["X-Frame-Options"] = "DENY";
  // One year; no includeSubDomains: other hosts of the domain are not ours to decide for.
  if (s.https) out["Strict-Transport-Security"] = "max-age=31536000";
  return out;
}

/**
 * Where to go after sign-in: only a path on this site. Anything else (another origin, "//host",
 * "/\host", "javascript:", control characters) becomes "/", so `next` can never be an open redirect.
 * The answer is checked after normalisation too: "/.//host" and "/%2e//host" normalise to "//host",
 * which a browser reads as another site.
 */
export function safeNext(next: unknown): string {
  if (typeof next !== "string" || !next.startsWith("/") || next.length > 2000) return "/";
  // Browsers read "\" as "/" and drop tabs and newlines inside URLs: "/\evil.test" and "/\t/evil.test" are "//evil.test".
  if (/[\\\u0000-\u001f\u007f]/.test(next)) return "/";
  const base = "http://this.invalid";
  let url: URL;
  try {
    url = new URL(next, base);
  } catch {
    return "/";
  }
  if (url.origin !== base) return "/";
  const path = url.pathname + url.search + url.hash;
  if (!isSitePath(path)) return "/";
  return path;
}

/** A path a browser resolves on this site: one leading "/", not followed by "/" or "\\". */
function isSitePath(path: string): boolean {
  return path.startsWith("/") && path[1] !== "/" && path[1] !== "\\";
}

/** The sign-in page for someone who wanted `path` (the home page needs no `next`). */
export function loginPath(path: string): string {
  const next = safeNext(path);
  return next === "/" ? "/login" : `/login?next=${encodeURIComponent(next)}`;
}

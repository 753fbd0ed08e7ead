/**
 * Where to go after sign-in: only a path on this site. Anything else (another origin, "//host",
 * "/\host", "javascript:", control characters) becomes "/", so `next` can never be an open redirect.
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
  return url.pathname + url.search + url.hash;
}

/** The sign-in page for someone who wanted `path` (the home page needs no `next`). */
export function loginPath(path: string): string {
  const next = safeNext(path);
  return next === "/" ? "/login" : `/login?next=${encodeURIComponent(next)}`;
}

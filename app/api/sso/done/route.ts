import "server-only";
import { safeNext } from "@/lib/safe-next";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Where the single sign-on callback lands. The session cookie is SameSite=Strict, and a redirect
 * chain that began at the provider (another site) would not carry it to the next page; this page
 * makes the last hop a navigation of our own, which does.
 */
export function GET(req: Request): Response {
  const next = safeNext(new URL(req.url).searchParams.get("next"));
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${esc(next)}"><title>Signing in…</title></head><body><p>Signed in. <a href="${esc(next)}">Continue</a></p></body></html>`;
  return new Response(body, { headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "referrer-policy": "no-referrer" } });
}

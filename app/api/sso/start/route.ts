import "server-only";
import { safeNext } from "@/lib/safe-next";
import { getAuthRuntime } from "@/server/auth";
import { SSO_PROVIDER_ID, ssoStatus } from "@/server/auth/oidc";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const back = (req: Request, next: string, params: Record<string, string>) => {
  const u = new URL("/login", req.url);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  if (next !== "/") u.searchParams.set("next", next);
  return Response.redirect(u, 303);
};

/**
 * Starts single sign-on: checks the provider answers, then has better-auth make the state, PKCE
 * verifier and nonce and sends the browser to the provider. `next` (a path on this site) survives
 * the round trip. `reauth=1` asks the provider to authenticate the person again (prompt=login,
 * max_age=0) even when they still have a session there: a fresh proof of who is at the keyboard.
 */
export async function GET(req: Request): Promise<Response> {
  const url = new URL(req.url);
  const next = safeNext(url.searchParams.get("next"));
  const { auth, config } = await getAuthRuntime();
  const oidc = config.auth.oidc;
  if (!oidc) return back(req, next, {});
  const status = await ssoStatus(oidc);
  if (!status.ok) return back(req, next, { sso: "unavailable" });
  const reauth = url.searchParams.get("reauth") === "1";
  const res = await auth.api.signInSocial({
    body: {
      provider: SSO_PROVIDER_ID,
      callbackURL: `/api/sso/done?next=${encodeURIComponent(next)}`,
      errorCallbackURL: `/login?sso=failed${next === "/" ? "" : `&next=${encodeURIComponent(next)}`}`,
      disableRedirect: true,
      ...(reauth ? { additionalParams: { prompt: "login", max_age: "0" } } : {}),
    },
    headers: req.headers,
    returnHeaders: true,
  });
  const target = res.response.url;
  if (!target) return back(req, next, { sso: "failed" });
  const headers = new Headers({ location: target, "cache-control": "no-store" });
  for (const c of res.headers.getSetCookie()) headers.append("set-cookie", c);
  return new Response(null, { status: 303, headers });
}

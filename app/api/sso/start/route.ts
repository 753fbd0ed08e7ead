import "server-only";
import { safeNext } from "@/lib/safe-next";
import { getAuthRuntime } from "@/server/auth";
import { SSO_PROVIDER_ID, ssoStatus } from "@/server/auth/oidc";
import { CLIENT_ADDRESS_HEADER, clientAddress, clientProto } from "@/server/auth/client-address";
import { ownOrigin } from "@/server/auth/policy";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** A redirect to a path on this site (relative, so it stays on the origin the browser used). */
const to = (location: string, setCookies: string[] = []) => {
  const headers = new Headers({ location, "cache-control": "no-store" });
  for (const c of setCookies) headers.append("set-cookie", c);
  return new Response(null, { status: 303, headers });
};

const loginWith = (next: string, sso: string) => `/login?sso=${sso}${next === "/" ? "" : `&next=${encodeURIComponent(next)}`}`;

/**
 * Starts single sign-on: checks the provider answers, then has better-auth make the state, PKCE
 * verifier and nonce and sends the browser to the provider. `next` (a path on this site) survives
 * the round trip. `reauth=1` asks the provider to authenticate the person again (prompt=login,
 * max_age=0) even when they still have a session there: a fresh proof of who is at the keyboard.
 */
export async function GET(req: Request): Promise<Response> {
  const url = new URL(req.url);
  const next = safeNext(url.searchParams.get("next"));
  const { auth, config, proxies } = await getAuthRuntime();
  const oidc = config.auth.oidc;
  if (!oidc) return to(next === "/" ? "/login" : `/login?next=${encodeURIComponent(next)}`);
  const status = await ssoStatus(oidc);
  if (!status.ok) return to(loginWith(next, "unavailable"));
  const client = clientAddress(req.headers, proxies);
  const origin = config.auth.baseURL ?? ownOrigin(req.headers, clientProto(req.headers, client)) ?? url.origin;
  // The Host too: better-auth trusts the dashboard's own origin from it (server/auth/auth.ts trustedOrigins).
  const headers = new Headers({ "content-type": "application/json", origin, host: new URL(origin).host });
  for (const h of ["cookie", "user-agent"]) {
    const v = req.headers.get(h);
    if (v) headers.set(h, v);
  }
  if (client.ip) headers.set(CLIENT_ADDRESS_HEADER, client.ip);
  const res = await auth.handler(
    new Request(`${origin}/api/auth/sign-in/social`, {
      method: "POST",
      headers,
      body: JSON.stringify({
        provider: SSO_PROVIDER_ID,
        callbackURL: `/api/sso/done?next=${encodeURIComponent(next)}`,
        errorCallbackURL: loginWith(next, "failed"),
        disableRedirect: true,
        ...(url.searchParams.get("reauth") === "1" ? { additionalParams: { prompt: "login", max_age: "0" } } : {}),
      }),
    }),
  );
  const body = (await res.json().catch(() => null)) as { url?: unknown } | null;
  if (!res.ok || typeof body?.url !== "string") return to(loginWith(next, "failed"));
  const headersOut = new Headers({ location: body.url, "cache-control": "no-store" });
  for (const c of res.headers.getSetCookie()) headersOut.append("set-cookie", c);
  return new Response(null, { status: 303, headers: headersOut });
}

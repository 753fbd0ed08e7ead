import "server-only";
import { KIOSK_COOKIE, getAuthRuntime } from "@/server/auth";
import { verifyKioskToken } from "@/server/auth/kiosk";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** About 400 days, the longest a browser keeps a cookie; revoking the token is what ends it. */
const KIOSK_COOKIE_MAX_AGE_S = 400 * 24 * 3600;

/**
 * `/wall?kiosk=<token>` is rewritten here (next.config.ts): a good token becomes an httpOnly
 * cookie and the screen is sent on to /wall, so the token leaves the address bar and history.
 */
export async function GET(req: Request): Promise<Response> {
  const token = new URL(req.url).searchParams.get("kiosk") ?? "";
  const { store, config } = await getAuthRuntime();
  const row = token ? await verifyKioskToken(store, token, Date.now()) : null;
  const headers = new Headers({ "cache-control": "no-store", "referrer-policy": "no-referrer" });
  if (!row) {
    headers.set("location", "/login?error=kiosk");
    return new Response(null, { status: 303, headers });
  }
  const secure = config.auth.baseURL?.startsWith("https://") ?? false;
  headers.append(
    "set-cookie",
    `${KIOSK_COOKIE}=${encodeURIComponent(token)}; Path=/; Max-Age=${KIOSK_COOKIE_MAX_AGE_S}; HttpOnly; SameSite=Strict${secure ? "; Secure" : ""}`,
  );
  headers.set("location", "/wall");
  return new Response(null, { status: 303, headers });
}

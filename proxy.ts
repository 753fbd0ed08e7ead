import { NextResponse, type NextRequest } from "next/server";
import { loginPath } from "@/lib/safe-next";

/** The header the console layout reads to send a signed-out visitor to /login?next=<this path>. */
export const PATH_HEADER = "x-hacr-path";

/** The session cookie (server/auth/auth.ts COOKIE_PREFIX; __Secure- over https) and the kiosk cookie (server/auth/kiosk.ts). */
const SIGNED_IN_COOKIES = ["hacr.session_token", "__Secure-hacr.session_token", "hacr.kiosk"];

/** Pages a signed-out browser may load: the sign-in page, and the wall (a kiosk link signs it in; its own layout sends others to sign-in). */
const OPEN_PATHS = new Set(["/login", "/wall"]);

/**
 * Passes the requested path (and query) on to the server components, since a layout cannot see the
 * URL otherwise; and sends a request that carries no session or kiosk cookie at all straight to
 * sign-in, before any page renders (so its answer holds nothing of the page, not even its title).
 * The real decision stays with the layout and every tRPC procedure: a cookie here proves nothing.
 */
export function proxy(request: NextRequest) {
  const path = request.nextUrl.pathname;
  if (!OPEN_PATHS.has(path) && !SIGNED_IN_COOKIES.some((c) => request.cookies.has(c))) {
    return NextResponse.redirect(new URL(loginPath(path + request.nextUrl.search), request.url), 307);
  }
  const headers = new Headers(request.headers);
  headers.set(PATH_HEADER, path + request.nextUrl.search);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  matcher: ["/((?!api/|_next/static|_next/image|favicon.ico|favicon.svg|icons/|manifest.webmanifest).*)"],
};

import { NextResponse, type NextRequest } from "next/server";
import { loginPath } from "@/lib/safe-next";
import { headerSettings } from "@/server/http/header-settings";
import { isApiPath, newNonce, securityHeaders } from "@/server/http/security-headers";

/** The header the console layout reads to send a signed-out visitor to /login?next=<this path>. */
export const PATH_HEADER = "x-hacr-path";

/** The session cookie (server/auth/auth.ts COOKIE_PREFIX; __Secure- over https) and the kiosk cookie (server/auth/kiosk.ts). */
const SIGNED_IN_COOKIES = ["hacr.session_token", "__Secure-hacr.session_token", "hacr.kiosk"];

/** Pages a signed-out browser may load: the sign-in page, and the wall (a kiosk link signs it in; its own layout sends others to sign-in). */
const OPEN_PATHS = new Set(["/login", "/wall"]);

/**
 * Sets the security headers of every page and API answer; a page's CSP carries a fresh nonce, also
 * given to the request, where Next reads it and puts it on its own scripts. Passes the requested path
 * (and query) on to the server components, since a layout cannot see the URL otherwise; and sends a
 * page request that carries no session or kiosk cookie at all straight to sign-in, before any page
 * renders (so its answer holds nothing of the page, not even its title). The real decision stays with
 * the layout and every tRPC procedure: a cookie here proves nothing.
 */
export function proxy(request: NextRequest) {
  const pathname = request.nextUrl.pathname;
  const api = isApiPath(pathname);
  const nonce = api ? null : newNonce();
  const security = securityHeaders(pathname, headerSettings(), nonce, process.env.NODE_ENV === "development");
  let response: NextResponse;
  if (!api && !OPEN_PATHS.has(pathname) && !SIGNED_IN_COOKIES.some((c) => request.cookies.has(c))) {
    response = NextResponse.redirect(new URL(loginPath(pathname + request.nextUrl.search), request.url), 307);
  } else {
    const headers = new Headers(request.headers);
    headers.set(PATH_HEADER, pathname + request.nextUrl.search);
    if (nonce !== null) headers.set("Content-Security-Policy", security["Content-Security-Policy"]!);
    response = NextResponse.next({ request: { headers } });
  }
  for (const [name, value] of Object.entries(security)) response.headers.set(name, value);
  return response;
}

// API routes too (their answers get the non-page headers); not the static files, which are no documents.
export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|favicon.svg|icons/|manifest.webmanifest).*)"],
};

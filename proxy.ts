import { NextResponse, type NextRequest } from "next/server";
import { headerSettings } from "@/server/http/header-settings";
import { isApiPath, newNonce, securityHeaders } from "@/server/http/security-headers";

/** The header the console layout reads to send a signed-out visitor to /login?next=<this path>. */
export const PATH_HEADER = "x-hacr-path";

/**
 * Passes the requested path (and query) on to the server components (a layout cannot see the URL
 * otherwise) and sets the security headers of every page and API answer. A page's CSP carries a fresh
 * nonce, also given to the request: Next reads it there and puts it on its own scripts. No auth
 * decision here; the layout and every tRPC procedure make those.
 */
export function proxy(request: NextRequest) {
  const pathname = request.nextUrl.pathname;
  const nonce = isApiPath(pathname) ? null : newNonce();
  const security = securityHeaders(pathname, headerSettings(), nonce, process.env.NODE_ENV === "development");
  const headers = new Headers(request.headers);
  headers.set(PATH_HEADER, pathname + request.nextUrl.search);
  if (nonce !== null) headers.set("Content-Security-Policy", security["Content-Security-Policy"]!);
  const response = NextResponse.next({ request: { headers } });
  for (const [name, value] of Object.entries(security)) response.headers.set(name, value);
  return response;
}

// API routes too (their answers get the non-page headers); not the static files, which are no documents.
export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|favicon.svg|icons/|manifest.webmanifest).*)"],
};

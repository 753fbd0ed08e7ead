import { NextResponse, type NextRequest } from "next/server";

/** The header the console layout reads to send a signed-out visitor to /login?next=<this path>. */
export const PATH_HEADER = "x-hacr-path";

/**
 * Only passes the requested path (and query) on to the server components: a layout cannot see the
 * URL otherwise. No auth decision here; the layout and every tRPC procedure make those.
 */
export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  headers.set(PATH_HEADER, request.nextUrl.pathname + request.nextUrl.search);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  matcher: ["/((?!api/|_next/static|_next/image|favicon.ico|favicon.svg|icons/|manifest.webmanifest).*)"],
};

import "server-only";
import { getAuthRuntime } from "@/server/auth";
import { serveAuth } from "@/server/auth/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** better-auth's endpoints (/api/auth/sign-in/username, /sign-in/email, /sign-out, /get-session, /change-password), through server/auth/http.ts. */
async function handler(req: Request): Promise<Response> {
  return serveAuth(await getAuthRuntime(), req);
}

export { handler as GET, handler as POST };

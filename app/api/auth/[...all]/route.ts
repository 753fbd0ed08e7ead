import "server-only";
import { getAuthRuntime } from "@/server/auth";
import { serveAuth } from "@/server/auth/http";
import { clientAddress, clientProto } from "@/server/auth/client-address";
import { requestAtOwnOrigin } from "@/server/auth/policy";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** better-auth's endpoints (/api/auth/sign-in/username, /sign-in/email, /sign-out, /get-session, /change-password, the single sign-on callback), through server/auth/http.ts. */
async function handler(req: Request): Promise<Response> {
  const rt = await getAuthRuntime();
  return serveAuth(rt, rt.config.auth.baseURL ? req : requestAtOwnOrigin(req, clientProto(req.headers, clientAddress(req.headers, rt.proxies))));
}

export { handler as GET, handler as POST };

import "server-only";
import { getAuthRuntime } from "@/server/auth";
import { requestAtOwnOrigin } from "@/server/auth/policy";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** better-auth's endpoints: /api/auth/sign-in/username, /sign-in/email, /sign-out, /get-session, the single sign-on callback. */
async function handler(req: Request): Promise<Response> {
  const { auth, config } = await getAuthRuntime();
  return auth.handler(config.auth.baseURL ? req : requestAtOwnOrigin(req));
}

export { handler as GET, handler as POST };

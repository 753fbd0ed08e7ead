import "server-only";
import { getAuthRuntime } from "@/server/auth";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** better-auth's endpoints: /api/auth/sign-in/username, /sign-in/email, /sign-out, /get-session. */
async function handler(req: Request): Promise<Response> {
  const { auth } = await getAuthRuntime();
  return auth.handler(req);
}

export { handler as GET, handler as POST };

import "server-only";
import { createTRPCRouter, publicProcedure } from "@/server/trpc/init";

export const sessionRouter = createTRPCRouter({
  /** Who is signed in (name and role, or the kiosk label), or null: the UI shows controls by it; the server still decides. */
  me: publicProcedure.query(({ ctx }) => ctx.viewer),
});

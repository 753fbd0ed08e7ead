import "server-only";
import { overview, snapshots } from "@/server/services/monitor";
import { createTRPCRouter, publicProcedure } from "@/server/trpc/init";

export const overviewRouter = createTRPCRouter({
  /** The latest snapshot: overall verdict, components, findings, every unit, cluster views, recent events. */
  get: publicProcedure.query(({ ctx }) => overview(ctx.getRuntime())),
  /** Every new snapshot, pushed over SSE (first the current one), at most five a second. */
  live: publicProcedure.subscription(({ ctx, signal }) => snapshots(ctx.getRuntime(), signal)),
});

import "server-only";
import { overview, snapshots } from "@/server/runtime/queries";
import { createTRPCRouter, viewerProcedure } from "@/server/trpc/init";

export const overviewRouter = createTRPCRouter({
  /** The latest snapshot: overall verdict, components, findings, every unit, cluster views, recent events. */
  get: viewerProcedure.query(({ ctx }) => overview(ctx.getRuntime())),
  /** Every new snapshot, pushed over SSE (first the current one), at most five a second. */
  live: viewerProcedure.subscription(({ ctx, signal }) => snapshots(ctx.getRuntime(), signal)),
});

import "server-only";
import { z } from "zod";
import { clusterDetail } from "@/server/runtime/queries";
import { createTRPCRouter, viewerProcedure } from "@/server/trpc/init";

export const clusterRouter = createTRPCRouter({
  /** One Patroni cluster: members with roles, lag in bytes and seconds, timeline history, its units and findings. */
  get: viewerProcedure.input(z.object({ id: z.string().min(1).max(64) })).query(({ ctx, input }) => clusterDetail(ctx.getRuntime(), input.id)),
});

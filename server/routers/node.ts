import "server-only";
import { z } from "zod";
import { nodeDetail } from "@/server/runtime/queries";
import { createTRPCRouter, viewerProcedure } from "@/server/trpc/init";

export const nodeRouter = createTRPCRouter({
  /** One PostgreSQL node of a cluster: its member view and its units' latest probes. */
  get: viewerProcedure
    .input(z.object({ cluster: z.string().min(1).max(64), node: z.string().min(1).max(64) }))
    .query(({ ctx, input }) => nodeDetail(ctx.getRuntime(), input.cluster, input.node)),
});

import "server-only";
import { z } from "zod";
import { createTRPCRouter, viewerProcedure } from "@/server/trpc/init";

export const transitionRouter = createTRPCRouter({
  /** Recent confirmed status changes (units, components, "overall"), newest first. */
  list: viewerProcedure
    .input(z.object({ subject: z.string().min(1).max(200).optional(), since: z.number().int().nonnegative().optional(), limit: z.number().int().min(1).max(1000).default(100) }))
    .query(async ({ ctx, input }) => (await ctx.getStore()).transitions(input)),
  /** Events components pushed (Sentinel +switch-master, +odown, ...), newest first. */
  events: viewerProcedure
    .input(z.object({ targetId: z.string().min(1).max(200).optional(), since: z.number().int().nonnegative().optional(), limit: z.number().int().min(1).max(1000).default(100) }))
    .query(async ({ ctx, input }) => (await ctx.getStore()).events(input)),
});

import "server-only";
import { z } from "zod";
import { KNOWN_METRICS } from "@/server/store";
import { RANGES, series } from "@/server/runtime/queries";
import { createTRPCRouter, viewerProcedure } from "@/server/trpc/init";

export const seriesRouter = createTRPCRouter({
  /** One subject's metric over 5 min, 1 h, 24 h or 30 days, downsampled on the server; gaps come back as nulls. */
  get: viewerProcedure
    .input(
      z.object({
        subject: z.string().min(1).max(200),
        metric: z.enum(KNOWN_METRICS),
        range: z.enum(Object.keys(RANGES) as [keyof typeof RANGES, ...(keyof typeof RANGES)[]]),
        maxPoints: z.number().int().min(2).max(5000).optional(),
      }),
    )
    .query(async ({ ctx, input }) => series(await ctx.getStore(), input, ctx.now())),
});

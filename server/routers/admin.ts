import "server-only";
import { z } from "zod";
import { KioskLabel, KioskTokenId } from "@/server/auth/kiosk";
import { createKiosk, listKioskTokens, listUsers, revokeKioskToken } from "@/server/services/people";
import { adminProcedure, createTRPCRouter } from "@/server/trpc/init";

export const adminRouter = createTRPCRouter({
  users: createTRPCRouter({
    list: adminProcedure.query(async ({ ctx }) => listUsers(await ctx.getStore())),
  }),
  kiosk: createTRPCRouter({
    list: adminProcedure.query(async ({ ctx }) => listKioskTokens(await ctx.getStore())),
    /** A read-only token for a wall screen; the answer holds the token, shown this once. */
    create: adminProcedure.input(z.object({ label: KioskLabel })).mutation(async ({ ctx, input }) => createKiosk(await ctx.getStore(), input.label, ctx.actor.name, Date.now())),
    revoke: adminProcedure.input(z.object({ id: KioskTokenId })).mutation(async ({ ctx, input }) => revokeKioskToken(await ctx.getStore(), input.id, Date.now())),
  }),
});

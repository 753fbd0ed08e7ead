import "server-only";
import { z } from "zod";
import { ROLES } from "@/lib/roles";
import { createKioskToken, KioskLabel, KioskTokenId, listKioskTokens, revokeKiosk } from "@/server/auth/kiosk";
import { endSsoSessions } from "@/server/auth/oidc";
import { USERNAME_RE } from "@/server/auth/username";
import { listUsers, setRole } from "@/server/auth/users";
import { adminProcedure, createTRPCRouter } from "@/server/trpc/init";

/** Why, for the audit log; optional for admin actions. */
const Reason = z.string().trim().max(500).optional();
const by = (ctx: { actor: { id: string; name: string; role: string }; ip: string | null }) => ({ id: ctx.actor.id, name: ctx.actor.name, role: ctx.actor.role, ip: ctx.ip });

export const adminRouter = createTRPCRouter({
  users: createTRPCRouter({
    list: adminProcedure.query(async ({ ctx }) => listUsers(await ctx.getStore())),
    /** Ends the user's sessions; audited. */
    setRole: adminProcedure
      .input(z.object({ username: z.string().regex(USERNAME_RE), role: z.enum(ROLES), reason: Reason }))
      .mutation(async ({ ctx, input }) => setRole(await ctx.getStore(), input.username, input.role, by(ctx), ctx.now(), input.reason)),
    /** Ends single sign-on users' sessions (one, by user name or email, or all): roles are mapped again at their next sign-in. Audited. */
    ssoSync: adminProcedure
      .input(z.object({ who: z.string().trim().min(1).max(254).optional() }))
      .mutation(async ({ ctx, input }) => endSsoSessions(await ctx.getStore(), by(ctx), ctx.now(), input.who)),
  }),
  kiosk: createTRPCRouter({
    list: adminProcedure.query(async ({ ctx }) => listKioskTokens(await ctx.getStore())),
    /** A read-only token for a wall screen; the answer holds the token, shown this once. Audited. */
    create: adminProcedure
      .input(z.object({ label: KioskLabel, reason: Reason }))
      .mutation(async ({ ctx, input }) => createKioskToken(await ctx.getStore(), input.label, by(ctx), ctx.now(), input.reason)),
    revoke: adminProcedure
      .input(z.object({ id: KioskTokenId, reason: Reason }))
      .mutation(async ({ ctx, input }) => revokeKiosk(await ctx.getStore(), input.id, by(ctx), ctx.now(), input.reason)),
  }),
});

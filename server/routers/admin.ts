import "server-only";
import { z } from "zod";
import { ROLES } from "@/lib/roles";
import { createKioskToken, KioskLabel, KioskTokenId, listKioskTokens, revokeKiosk } from "@/server/auth/kiosk";
import { endSsoSessions } from "@/server/auth/oidc";
import { USERNAME_RE } from "@/server/auth/username";
import { createUserWithOneTimePassword, endSessions, listUsers, resetPasswordFromBrowser, setDisabledFromBrowser, setRole } from "@/server/auth/users";
import { adminProcedure, createTRPCRouter } from "@/server/trpc/init";

/** Why, for the audit log; optional for admin actions. */
const Reason = z.string().trim().max(500).optional();
const Username = z.string().regex(USERNAME_RE, { error: "expected a lower-case user name of 3-32 letters, digits, '.', '_' or '-'" });
const Target = z.object({ username: Username, reason: Reason });
const by = (ctx: { actor: { id: string; name: string; role: string }; ip: string | null }) => ({ id: ctx.actor.id, name: ctx.actor.name, role: ctx.actor.role, ip: ctx.ip });

export const adminRouter = createTRPCRouter({
  users: createTRPCRouter({
    list: adminProcedure.query(async ({ ctx }) => listUsers(await ctx.getStore())),
    /** Ends the user's sessions; audited. */
    setRole: adminProcedure
      .input(z.object({ username: Username, role: z.enum(ROLES), reason: Reason }))
      .mutation(async ({ ctx, input }) => setRole(await ctx.getStore(), input.username, input.role, by(ctx), ctx.now(), input.reason)),
    /** A local account with a generated one-time password, in the answer this once; changed at first sign-in. Audited. */
    create: adminProcedure
      .input(z.object({ username: Username, name: z.string().trim().max(100).optional(), role: z.enum(ROLES), reason: Reason }))
      .mutation(async ({ ctx, input }) =>
        createUserWithOneTimePassword(await ctx.getAuth(), await ctx.getStore(), { username: input.username, name: input.name, role: input.role }, by(ctx), ctx.now(), input.reason),
      ),
    /** No sign-in and no session until enabled; the user's sessions end now. Not one's own account. Audited. */
    disable: adminProcedure.input(Target).mutation(async ({ ctx, input }) => setDisabledFromBrowser(await ctx.getStore(), input.username, true, by(ctx), ctx.now(), input.reason)),
    enable: adminProcedure.input(Target).mutation(async ({ ctx, input }) => setDisabledFromBrowser(await ctx.getStore(), input.username, false, by(ctx), ctx.now(), input.reason)),
    /** Signs the user out everywhere; answers how many sessions ended. Audited. */
    endSessions: adminProcedure.input(Target).mutation(async ({ ctx, input }) => ({ ended: await endSessions(await ctx.getStore(), input.username, by(ctx), ctx.now(), input.reason) })),
    /** A new one-time password, in the answer this once; the user's sessions end. Not one's own (change it instead). Audited. */
    resetPassword: adminProcedure
      .input(Target)
      .mutation(async ({ ctx, input }) => resetPasswordFromBrowser(await ctx.getAuth(), await ctx.getStore(), input.username, by(ctx), ctx.now(), input.reason)),
    /** Ends single sign-on users' sessions (one, by user name or email, or all): roles are mapped again at their next sign-in. Audited. */
    ssoSync: adminProcedure
      .input(z.object({ who: z.string().trim().min(1).max(254).optional(), reason: Reason }))
      .mutation(async ({ ctx, input }) => endSsoSessions(await ctx.getStore(), by(ctx), ctx.now(), input.who, input.reason)),
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

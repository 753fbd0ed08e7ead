import "server-only";
import { z } from "zod";
import { ReportQuery } from "@/lib/sla";
import { CorrectClassInput } from "@/lib/rto";
import { cancelMaintenance, correctClass, createMaintenance, listMaintenance, slaBudgets, slaIncidents, slaReport, slaWall } from "@/server/sla/service";
import { slaWallFeed } from "@/server/sla/live";
import { adminProcedure, createTRPCRouter, operatorProcedure, viewerProcedure, type Context } from "@/server/trpc/init";

const Ms = z.number().int().nonnegative();
const deps = async (ctx: Pick<Context, "getConfig" | "getStore">) => ({
  config: ctx.getConfig(),
  store: await ctx.getStore(),
});

/** Who changes a maintenance window, as its audit row records them. */
const auditor = (ctx: { actor: { id: string; name: string; role: string }; ip: string | null }) => ({ id: ctx.actor.id, name: ctx.actor.name, role: ctx.actor.role, ip: ctx.ip });

export const slaRouter = createTRPCRouter({
  /** Per component and for the system: budgets over rolling 30 d / month / quarter / year, burn alerts, failover cost; the feasibility check. */
  budgets: viewerProcedure.query(async ({ ctx }) => slaBudgets(await deps(ctx), ctx.now())),
  /** Target vs achieved over a month, quarter, year or custom period, with every incident and maintenance window. */
  report: viewerProcedure.input(ReportQuery).query(async ({ ctx, input }) => slaReport(await deps(ctx), input, ctx.now())),
  /** Incidents (counted downtime) from the stored transitions, newest first. */
  incidents: viewerProcedure
    .input(z.object({ from: Ms, to: Ms.optional(), components: z.array(z.string().min(1).max(100)).max(200).optional(), limit: z.number().int().min(1).max(1000).default(100) }))
    .query(async ({ ctx, input }) => slaIncidents(await deps(ctx), input, ctx.now())),
  /** Operators and above: set an incident's failure mode (RTO scoreboard) with a note; audited with the change. */
  correctClass: operatorProcedure.input(CorrectClassInput).mutation(async ({ ctx, input }) => correctClass(await deps(ctx), input, auditor(ctx), ctx.now())),
  /** What the wall shows: this month's budget left per component, active and upcoming maintenance. */
  wall: viewerProcedure.query(async ({ ctx }) => slaWall(await deps(ctx), ctx.now())),
  /** The same figures pushed over SSE, recomputed on the server once a minute: the wall never polls. */
  wallLive: viewerProcedure.subscription(({ ctx, signal }) =>
    slaWallFeed(async () => slaWall(await deps(ctx), ctx.now()), signal, { onError: (e) => console.error(`[sla] wall figures: ${(e as Error).message}`) }),
  ),
  maintenance: createTRPCRouter({
    list: viewerProcedure.input(z.object({ from: Ms.optional(), to: Ms.optional() }).default({})).query(async ({ ctx, input }) => listMaintenance(await deps(ctx), input, ctx.now())),
    /** Admins only: a window changes what counts against the SLA. */
    create: adminProcedure
      .input(z.object({ components: z.array(z.string().min(1).max(100)).min(1, { error: "name at least one component (or \"*\")" }).max(100), start: Ms, end: Ms, reason: z.string().trim().min(1, { error: "give a reason" }).max(2000) }))
      .mutation(async ({ ctx, input }) => createMaintenance(await deps(ctx), input, auditor(ctx), ctx.now())),
    cancel: adminProcedure.input(z.object({ id: z.number().int().positive() })).mutation(async ({ ctx, input }) => cancelMaintenance(await deps(ctx), input.id, auditor(ctx), ctx.now())),
  }),
});

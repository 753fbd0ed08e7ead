import "server-only";
import { z } from "zod";
import { sendTestNotification } from "@/server/alerting/test-notification";
import { Id } from "@/server/config/fields";
import { collectSecrets, redactDeep } from "@/server/redact";
import { activeAlertViews, receiverViews } from "@/server/store/alert-views";
import { adminProcedure, createTRPCRouter, viewerProcedure, type Context } from "@/server/trpc/init";

const deps = async (ctx: Pick<Context, "getConfig" | "getStore">) => {
  const config = ctx.getConfig();
  return { config, alerting: config.alerting, store: await ctx.getStore() };
};

/** Who sent a test, as its audit row records them. */
const auditor = (ctx: { actor: { id: string; name: string; role: string }; ip: string | null }) => ({ id: ctx.actor.id, name: ctx.actor.name, role: ctx.actor.role, ip: ctx.ip });

/** Defence in depth: a receiver that echoes a credential into an error does not pass it on to the browser. */
const scrub = <T>(config: { alerting?: unknown }, value: T): T => redactDeep(value, collectSecrets(config.alerting));

export const alertsRouter = createTRPCRouter({
  /** Alerts firing now, with their age and the receivers their route sends them to. */
  active: viewerProcedure.query(async ({ ctx }) => {
    const { config, alerting, store } = await deps(ctx);
    const now = ctx.now();
    return scrub(config, { configured: alerting !== undefined, now, alerts: await activeAlertViews(store, alerting, now) });
  }),
  /** Each configured receiver (URL without credentials, never its secrets) and its delivery log, newest first. */
  receivers: viewerProcedure.input(z.object({ limit: z.number().int().min(1).max(200).default(25) }).default({ limit: 25 })).query(async ({ ctx, input }) => {
    const { config, alerting, store } = await deps(ctx);
    return scrub(config, { configured: alerting !== undefined, now: ctx.now(), receivers: await receiverViews(store, alerting, input) });
  }),
  /** Admins: a TestNotification alert to one receiver, audited in the same transaction. */
  sendTest: adminProcedure
    .input(z.object({ receiver: Id, reason: z.string().trim().max(500).optional() }))
    .mutation(async ({ ctx, input }) => {
      const { config, store } = await deps(ctx);
      return sendTestNotification(store, config, input.receiver, auditor(ctx), ctx.now(), input.reason);
    }),
});

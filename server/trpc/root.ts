import "server-only";
import { actionsRouter } from "@/server/routers/actions";
import { alertsRouter } from "@/server/routers/alerts";
import { adminRouter } from "@/server/routers/admin";
import { clusterRouter } from "@/server/routers/cluster";
import { nodeRouter } from "@/server/routers/node";
import { overviewRouter } from "@/server/routers/overview";
import { seriesRouter } from "@/server/routers/series";
import { sessionRouter } from "@/server/routers/session";
import { slaRouter } from "@/server/routers/sla";
import { transitionRouter } from "@/server/routers/transition";
import { createCallerFactory, createTRPCRouter } from "./init";

export const appRouter = createTRPCRouter({
  session: sessionRouter,
  admin: adminRouter,
  overview: overviewRouter,
  cluster: clusterRouter,
  node: nodeRouter,
  series: seriesRouter,
  transition: transitionRouter,
  sla: slaRouter,
  actions: actionsRouter,
  alerts: alertsRouter,
});

export type AppRouter = typeof appRouter;

/** Server-side calls without HTTP: `createCaller(await createTRPCContext({ headers }))`, or in tests `createCaller(createInnerTRPCContext({ actor }))`. */
export const createCaller = createCallerFactory(appRouter);

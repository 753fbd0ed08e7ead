import "server-only";
import { actionsRouter } from "@/server/routers/actions";
import { clusterRouter } from "@/server/routers/cluster";
import { nodeRouter } from "@/server/routers/node";
import { overviewRouter } from "@/server/routers/overview";
import { rawRouter } from "@/server/routers/raw";
import { seriesRouter } from "@/server/routers/series";
import { slaRouter } from "@/server/routers/sla";
import { transitionRouter } from "@/server/routers/transition";
import { createCallerFactory, createTRPCRouter } from "./init";

export const appRouter = createTRPCRouter({
  raw: rawRouter,
  overview: overviewRouter,
  cluster: clusterRouter,
  node: nodeRouter,
  series: seriesRouter,
  transition: transitionRouter,
  sla: slaRouter,
  actions: actionsRouter,
});

export type AppRouter = typeof appRouter;

/** Server-side calls without HTTP, e.g. `createCaller(createTRPCContext({ headers }))`. */
export const createCaller = createCallerFactory(appRouter);

import "server-only";
import { rawRouter } from "@/server/routers/raw";
import { createCallerFactory, createTRPCRouter } from "./init";

export const appRouter = createTRPCRouter({
  raw: rawRouter,
});

export type AppRouter = typeof appRouter;

/** Server-side calls without HTTP, e.g. `createCaller(createTRPCContext({ headers }))`. */
export const createCaller = createCallerFactory(appRouter);

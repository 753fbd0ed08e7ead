import "server-only";
import { getRawState } from "@/server/services/raw-state";
import { createTRPCRouter, publicProcedure } from "@/server/trpc/init";

export const rawRouter = createTRPCRouter({
  /** Every target probed once, now. The first page only; later pages read the scheduler's state. */
  state: publicProcedure.query(({ ctx }) => getRawState(ctx.getConfig())),
});

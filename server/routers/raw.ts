import "server-only";
import { getRawState } from "@/server/services/raw-state";
import { createTRPCRouter, viewerProcedure } from "@/server/trpc/init";

export const rawRouter = createTRPCRouter({
  /** Every target probed once, now. The first page only; later pages read the scheduler's state. */
  state: viewerProcedure.query(({ ctx }) => getRawState(ctx.getConfig())),
});

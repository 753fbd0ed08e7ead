import "server-only";
import { z } from "zod";
import { ActionTarget, ApproveInput, AuditListInput, DecideInput, ListInput, RequestInput, rightsOf } from "@/lib/actions";
import {
  approve, auditCsvExport, auditList, cancel, getActionView, liveActions, listActionViews, preflight, reject, request, startExecution,
} from "@/server/actions";
import { actionActor, actionDeps, approvalProofKind } from "@/server/actions/context";
import { adminProcedure, approverProcedure, createTRPCRouter, operatorProcedure, viewerProcedure } from "@/server/trpc/init";

const Id = z.object({ id: z.number().int().positive() });

/** Guarded actions: request → approve (a second person) → execute → verify → record. */
export const actionsRouter = createTRPCRouter({
  /** What the UI may offer this caller (buttons are shown by it; every call is checked again). */
  me: viewerProcedure.query(({ ctx }) => rightsOf(ctx.actor)),
  /** The preflight on its own, for the confirm dialog: nothing is recorded. */
  preflight: operatorProcedure.input(ActionTarget).query(async ({ ctx, input }) => preflight(await actionDeps(ctx), actionActor(ctx), input)),
  /** Records a request with its preflight (refused requests are recorded and returned, not thrown). */
  request: operatorProcedure.input(RequestInput).mutation(async ({ ctx, input }) => request(await actionDeps(ctx), actionActor(ctx), input)),
  /** How the caller proves who they are when approving (the approve dialog asks for the password, or says a fresh sign-in is needed). */
  approvalProof: approverProcedure.query(({ ctx }) => approvalProofKind(ctx)),
  /** Approves and starts execution in the background; follow it with `get` or `live`. */
  approve: approverProcedure.input(ApproveInput).mutation(async ({ ctx, input }) => {
    const deps = await actionDeps(ctx);
    const approved = await approve(deps, actionActor(ctx), input);
    if (approved.state === "approved") void startExecution(deps, approved.id);
    return approved;
  }),
  reject: approverProcedure.input(DecideInput).mutation(async ({ ctx, input }) => reject(await actionDeps(ctx), actionActor(ctx), input)),
  cancel: operatorProcedure.input(DecideInput).mutation(async ({ ctx, input }) => cancel(await actionDeps(ctx), actionActor(ctx), input)),
  get: viewerProcedure.input(Id).query(async ({ ctx, input }) => getActionView(await actionDeps(ctx), input.id)),
  list: viewerProcedure.input(ListInput).query(async ({ ctx, input }) => listActionViews(await actionDeps(ctx), input)),
  /** The recent actions, pushed on every change (the approvals inbox and the progress view). */
  live: viewerProcedure.subscription(async function* ({ ctx, signal }) {
    yield* liveActions(await actionDeps(ctx), signal);
  }),
  audit: adminProcedure.input(AuditListInput).query(async ({ ctx, input }) => auditList(await actionDeps(ctx), actionActor(ctx), input)),
  /** The audit log as CSV (UTC), for download. */
  auditCsv: adminProcedure.input(AuditListInput).query(async ({ ctx, input }) => ({
    filename: `audit-${new Date(ctx.now()).toISOString().slice(0, 10)}.csv`,
    csv: await auditCsvExport(await actionDeps(ctx), actionActor(ctx), input),
  })),
});


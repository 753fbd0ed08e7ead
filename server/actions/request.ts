import "server-only";
import { RequestInput, mayRequest, refusals, type ActionView } from "@/lib/actions";
import { AppError, parseInput } from "@/server/errors";
import { insertRequest } from "@/server/store/actions";
import { appendAudit } from "@/server/store/audit";
import { driverFor } from "./drivers";
import { actionsChanged } from "./notify";
import { runPreflight } from "./preflight";
import { sweep } from "./sweep";
import type { ActionActor, ActionDeps } from "./types";
import { actionAlertOptions } from "@/server/alerting/actions";

export interface RequestResult {
  action: ActionView;
  /** created: recorded now (requested or refused); duplicate: the same client request id was seen before; conflict: another action holds the target. */
  status: "created" | "duplicate" | "conflict";
}

/**
 * Step 1 (operator): records the request with its preflight, run at once. A refused preflight is
 * recorded (state `refused`, the reasons in `outcome`) and returned, not thrown: the dialog shows it.
 * Retrying with the same client request id returns the first request.
 */
export async function request(deps: ActionDeps, actor: ActionActor, input: RequestInput): Promise<RequestResult> {
  const req = parseInput(RequestInput, input);
  const now = deps.now();
  if (!mayRequest(actor.role)) {
    await appendAudit(deps.store, { actor, event: "refuse", at: now, reason: req.reason, detail: `${req.kind} on ${req.targetId} refused: the ${actor.role} role may not request actions` }, null);
    throw new AppError("FORBIDDEN", `requesting actions needs the operator role; you are ${actor.role}`);
  }
  const driver = driverFor(req.kind);
  const resolved = driver.resolve(deps.config, req);
  await sweep(deps, resolved.lockKey);
  const run = await runPreflight(deps, req, null);
  const refused = refusals(run.result);
  const result = await insertRequest(
    deps.store,
    {
      kind: req.kind,
      targetId: resolved.targetId,
      lockKey: resolved.lockKey,
      node: req.node ?? null,
      // The leader the operator saw, else the one now: execution proceeds only while it still leads.
      expectedLeader: req.expectedLeader ?? run.leader,
      scheduledAt: req.scheduledAt ? Date.parse(req.scheduledAt) : null,
      reason: req.reason,
      clientRequestId: req.clientRequestId,
      requester: actor,
      preflight: run.result,
      now: deps.now(),
      expiresAt: deps.now() + resolved.settings.approvalWindowMs,
      ownerInstance: deps.instanceId,
    },
    refused.length === 0 ? null : `preflight refused: ${refused.map((c) => c.detail).join("; ")}`,
    actionAlertOptions(deps.config),
  );
  if (result.status !== "duplicate") actionsChanged();
  return { action: result.action, status: result.status };
}

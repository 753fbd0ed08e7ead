import "server-only";
import { ApproveInput, mayApprove, type ActionView } from "@/lib/actions";
import { AppError, parseInput } from "@/server/errors";
import { getAction, transition } from "@/server/store/actions";
import { appendAudit } from "@/server/store/audit";
import { closeOut } from "./close-out";
import { actionsChanged } from "./notify";
import { systemActor, type ActionActor, type ActionDeps } from "./types";
import { actionAlertOptions } from "@/server/alerting/actions";

async function refuse(deps: ActionDeps, actor: ActionActor, a: ActionView | null, code: AppError["code"], why: string): Promise<never> {
  await appendAudit(deps.store, { actor, event: "refuse", at: deps.now(), detail: `approval refused: ${why}` }, a);
  throw new AppError(code, why);
}

/**
 * Step 3 (a second person with the approver role): proves who they are by re-entering their password
 * (or, without a local password, by a fresh sign-in), within the approval window. The requester can never approve their
 * own request. A double-click returns the same approval. Execution is started by the caller.
 */
export async function approve(deps: ActionDeps, actor: ActionActor, input: ApproveInput): Promise<ActionView> {
  const req = parseInput(ApproveInput, input);
  const a = await getAction(deps.store, req.id, deps.now());
  if (!a) return refuse(deps, actor, null, "NOT_FOUND", `no action #${req.id}`);
  if (!mayApprove(actor.role)) return refuse(deps, actor, a, "FORBIDDEN", `approving needs the approver role; you are ${actor.role}`);
  if (a.requester.id === actor.id) return refuse(deps, actor, a, "FORBIDDEN", "the requester cannot approve their own request: a second person must");
  if (a.approver?.id === actor.id && a.state !== "requested") return a; // the same approval, sent twice
  if (a.state !== "requested") return refuse(deps, actor, a, "CONFLICT", `action #${a.id} is ${a.state}, not waiting for approval`);

  const now = deps.now();
  if (now >= a.expiresAt) {
    const c = closeOut(a.state, "approval_window_ended")!;
    await transition(deps.store, a.id, ["requested"], c.to, { finishedAt: now, outcome: c.outcome }, {
      actor: systemActor(deps.instanceId),
      event: c.event,
      at: now,
      detail: `window ended ${new Date(a.expiresAt).toISOString()}`,
    }, actionAlertOptions(deps.config));
    actionsChanged();
    return refuse(deps, actor, a, "PRECONDITION_FAILED", `the approval window ended at ${new Date(a.expiresAt).toISOString()}: the request has expired; request it again`);
  }

  if (!deps.proveApprover) return refuse(deps, actor, a, "FORBIDDEN", "approval needs the approver's password, which cannot be checked here");
  const proof = await deps.proveApprover(actor.id, req.password);
  if (!proof.ok) return refuse(deps, actor, a, proof.code, proof.why);

  const approved = await transition(deps.store, a.id, ["requested"], "approved", { approverId: actor.id, approverName: actor.name, approvedAt: now, ownerInstance: deps.instanceId }, {
    actor,
    event: "approve",
    at: now,
    reason: req.comment ?? null,
    detail: proof.by === "password" ? "proved by re-entering the password" : "proved by a fresh sign-in",
  }, actionAlertOptions(deps.config));
  if (!approved) {
    const again = await getAction(deps.store, a.id, now);
    if (again?.approver?.id === actor.id) return again;
    return refuse(deps, actor, again, "CONFLICT", `action #${a.id} is ${again?.state ?? "gone"}, not waiting for approval`);
  }
  actionsChanged();
  return approved;
}

import "server-only";
import { DecideInput, mayApprove, type ActionView } from "@/lib/actions";
import { AppError, parseInput } from "@/server/errors";
import { getAction, transition } from "@/server/store/actions";
import { appendAudit } from "@/server/store/audit";
import { actionsChanged } from "./notify";
import type { ActionActor, ActionDeps } from "./types";
import { actionAlertOptions } from "@/server/alerting/actions";

async function refuse(deps: ActionDeps, actor: ActionActor, a: ActionView | null, code: AppError["code"], why: string): Promise<never> {
  await appendAudit(deps.store, { actor, event: "refuse", at: deps.now(), detail: why }, a);
  throw new AppError(code, why);
}

/** An approver turns a pending request down (with a reason). The requester withdraws with `cancel`. */
export async function reject(deps: ActionDeps, actor: ActionActor, input: DecideInput): Promise<ActionView> {
  const req = parseInput(DecideInput, input);
  const a = await getAction(deps.store, req.id, deps.now());
  if (!a) return refuse(deps, actor, null, "NOT_FOUND", `no action #${req.id}`);
  if (!mayApprove(actor.role)) return refuse(deps, actor, a, "FORBIDDEN", `rejecting needs the approver role; you are ${actor.role}`);
  if (a.requester.id === actor.id) return refuse(deps, actor, a, "FORBIDDEN", "you requested it: cancel it instead");
  return decide(deps, actor, a, "rejected", req.reason);
}

/** The requester (or an admin) withdraws a request that has not been approved. */
export async function cancel(deps: ActionDeps, actor: ActionActor, input: DecideInput): Promise<ActionView> {
  const req = parseInput(DecideInput, input);
  const a = await getAction(deps.store, req.id, deps.now());
  if (!a) return refuse(deps, actor, null, "NOT_FOUND", `no action #${req.id}`);
  if (a.requester.id !== actor.id && actor.role !== "admin") return refuse(deps, actor, a, "FORBIDDEN", "only the requester (or an admin) can cancel a request");
  return decide(deps, actor, a, "cancelled", req.reason);
}

async function decide(deps: ActionDeps, actor: ActionActor, a: ActionView, to: "rejected" | "cancelled", reason: string): Promise<ActionView> {
  const now = deps.now();
  const done = await transition(
    deps.store,
    a.id,
    ["requested"],
    to,
    { decidedById: actor.id, decidedByName: actor.name, decisionReason: reason, finishedAt: now, outcome: `${to} by ${actor.name}: ${reason}` },
    { actor, event: to === "rejected" ? "reject" : "cancel", at: now, reason },
    actionAlertOptions(deps.config),
  );
  if (!done) {
    const again = await getAction(deps.store, a.id, deps.now());
    if (again?.state === to && again.decidedBy?.id === actor.id) return again;
    return refuse(deps, actor, again, "CONFLICT", `action #${a.id} is ${again?.state ?? "gone"}: only a request waiting for approval can be ${to}`);
  }
  actionsChanged();
  return done;
}

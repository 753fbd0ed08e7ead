import "server-only";
import { abandonedActions, overdueRequests, transition } from "@/server/store/actions";
import { actionsChanged } from "./notify";
import { systemActor, type ActionDeps } from "./types";

/** An owner that has not touched its action for this long is gone (the executor touches it at least every poll). */
export const ABANDONED_AFTER_MS = 2 * 60_000;

/**
 * Housekeeping done before anyone acts on a target (and by the live views): requests past their
 * approval window become `expired`; actions whose dashboard process stopped reporting mid-way are
 * closed honestly as `unknown`, which also frees the target's lock.
 */
export async function sweep(deps: ActionDeps, lockKey?: string): Promise<number> {
  const now = deps.now();
  const sys = systemActor(deps.instanceId);
  let changed = 0;
  for (const a of await overdueRequests(deps.store, now, lockKey)) {
    const done = await transition(deps.store, a.id, ["requested"], "expired", { finishedAt: now, outcome: "no approval within the approval window" }, {
      actor: sys,
      event: "expire",
      at: now,
      detail: `requested ${new Date(a.requestedAt).toISOString()}, window ended ${new Date(a.expiresAt).toISOString()}`,
    });
    if (done) changed++;
  }
  for (const a of await abandonedActions(deps.store, now - ABANDONED_AFTER_MS, lockKey)) {
    const executed = a.state !== "approved";
    const outcome = executed
      ? "outcome unknown: the dashboard process running it stopped reporting; check the component"
      : "not executed: the dashboard process stopped before executing it (nothing was sent)";
    const done = await transition(deps.store, a.id, [a.state], executed ? "unknown" : "failed", { finishedAt: now, outcome }, { actor: sys, event: "outcome", at: now, detail: outcome });
    if (done) changed++;
  }
  if (changed > 0) actionsChanged();
  return changed;
}

import "server-only";
import { abandonedActions, overdueRequests, transition } from "@/server/store/actions";
import { closeOut } from "./close-out";
import { actionsChanged } from "./notify";
import { systemActor, type ActionDeps } from "./types";
import { actionAlertOptions } from "@/server/alerting/actions";

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
    const c = closeOut(a.state, "approval_window_ended")!;
    const done = await transition(deps.store, a.id, ["requested"], c.to, { finishedAt: now, outcome: c.outcome }, {
      actor: sys,
      event: c.event,
      at: now,
      detail: `requested ${new Date(a.requestedAt).toISOString()}, window ended ${new Date(a.expiresAt).toISOString()}`,
    }, actionAlertOptions(deps.config));
    if (done) changed++;
  }
  for (const a of await abandonedActions(deps.store, now - ABANDONED_AFTER_MS, now, lockKey)) {
    const c = closeOut(a.state, "owner_stopped_reporting");
    if (!c) continue;
    const done = await transition(deps.store, a.id, [a.state], c.to, { finishedAt: now, outcome: c.outcome }, { actor: sys, event: c.event, at: now, detail: c.outcome }, actionAlertOptions(deps.config));
    if (done) changed++;
  }
  if (changed > 0) actionsChanged();
  return changed;
}

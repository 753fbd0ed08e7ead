import "server-only";
import type { ActionState, ActionView } from "@/lib/actions";
import { transition } from "@/server/store/actions";
import { seconds } from "./checks";
import { actionsChanged } from "./notify";
import { systemActor, type ActionDeps } from "./types";
import { actionAlertOptions } from "@/server/alerting/actions";

/**
 * Step 6: the outcome, the phase durations (from the recorded phase times) and the new Patroni
 * timeline, with the audit row, in one transaction. Null when the action was no longer in `from`.
 */
export async function record(
  deps: ActionDeps,
  id: number,
  from: readonly ActionState[],
  to: "succeeded" | "failed" | "unknown" | "refused",
  outcome: string,
  newTimeline: number | null = null,
): Promise<ActionView | null> {
  const now = deps.now();
  const done = await transition(deps.store, id, from, to, { finishedAt: now, outcome, ...(newTimeline !== null ? { newTimeline } : {}) }, {
    actor: systemActor(deps.instanceId),
    event: to === "refused" ? "refuse" : "outcome",
    at: now,
    detail: `${to}: ${outcome}`,
    timeline: newTimeline,
  }, actionAlertOptions(deps.config));
  if (done) {
    const d = done.durations;
    const phases = [d.approval, d.execution, d.verification].every((x) => x === undefined)
      ? ""
      : ` (approval ${fmt(d.approval)}, execution ${fmt(d.execution)}, verification ${fmt(d.verification)})`;
    if (phases) console.log(`[actions] #${id} ${done.kind} on ${done.targetId}: ${to}${phases}`);
    actionsChanged();
  }
  return done;
}

const fmt = (ms: number | undefined) => (ms === undefined ? "-" : seconds(ms));

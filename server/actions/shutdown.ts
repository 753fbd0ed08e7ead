import "server-only";
import type { ActionView } from "@/lib/actions";
import { pause } from "@/lib/async";
import { getAction, transition } from "@/server/store/actions";
import type { Store } from "@/server/store";
import { closeOut } from "./close-out";
import { actionsChanged } from "./notify";
import { runningExecutionEntries } from "./runner";
import { systemActor } from "./types";
import type { ActionAlertOptions } from "@/server/alerting/actions";

export { SHUTDOWN_OUTCOME_EXECUTED, SHUTDOWN_OUTCOME_NOT_EXECUTED } from "./close-out";

export interface DrainResult {
  /** Runs that ended by themselves within the wait. */
  finished: number[];
  /** Runs still going at the deadline, closed in the store as interrupted. */
  interrupted: ActionView[];
}

/**
 * On shutdown: wait up to `waitMs` for this process's running executions to end by themselves, then
 * close whatever is still in flight honestly ("interrupted by shutdown; outcome unknown") instead of
 * leaving it to other dashboards' two-minute abandonment sweep. The close is a compare-and-set, so a
 * run that records its own outcome at the same moment wins or loses cleanly, and a run that is still
 * `approved` can no longer move to `executing` (nothing gets sent after this).
 */
export async function drainExecutions(
  deps: { store: Store; now: () => number; instanceId: string; alerts?: ActionAlertOptions },
  waitMs: number,
  running: () => [number, Promise<unknown>][] = runningExecutionEntries,
): Promise<DrainResult> {
  const deadline = deps.now() + waitMs;
  const finished = new Set<number>();
  // Runs started while waiting (an approval that was already on its way) are waited for too.
  for (;;) {
    const left = running().filter(([id]) => !finished.has(id));
    const remaining = deadline - deps.now();
    if (left.length === 0 || remaining <= 0) break;
    const stop = new AbortController();
    const ended = await Promise.race([...left.map(([id, p]) => p.then(() => id, () => id)), pause(remaining, stop.signal).then(() => "timeout" as const)]);
    stop.abort();
    if (ended === "timeout") break;
    finished.add(ended);
  }
  const interrupted: ActionView[] = [];
  const sys = systemActor(deps.instanceId);
  for (const [id] of running()) {
    if (finished.has(id)) continue;
    const a = await getAction(deps.store, id, deps.now());
    const c = a && closeOut(a.state, "shutdown");
    if (!a || !c) continue;
    const now = deps.now();
    const done = await transition(deps.store, id, [a.state], c.to, { finishedAt: now, outcome: c.outcome }, {
      actor: sys,
      event: c.event,
      at: now,
      detail: `${c.outcome} (was ${a.state})`,
    }, deps.alerts);
    if (done) interrupted.push(done);
  }
  if (interrupted.length > 0) actionsChanged();
  return { finished: [...finished], interrupted };
}

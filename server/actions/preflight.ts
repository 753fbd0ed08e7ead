import "server-only";
import { ActionTarget, mayRequest, type PreflightResult } from "@/lib/actions";
import { AppError, parseInput } from "@/server/errors";
import { inFlightAction, lastExecuted } from "@/server/store/actions";
import { driverFor } from "./drivers";
import { sweep } from "./sweep";
import type { ActionActor, ActionDeps, ResolvedTarget } from "./types";

export interface PreflightRun {
  resolved: ResolvedTarget<unknown>;
  result: PreflightResult;
  /** The leader or master now (Patroni, Sentinel): what a request names when the operator named none. */
  leader: string | null;
}

/**
 * Reads the target and the store and judges. `selfId` is the action being executed, so that it does
 * not count as "another action in flight" nor as its own cooldown.
 */
export async function runPreflight(deps: ActionDeps, target: ActionTarget, selfId: number | null): Promise<PreflightRun> {
  const driver = driverFor(target.kind);
  const resolved = driver.resolve(deps.config, target);
  const [facts, holder, last] = await Promise.all([
    driver.gather(resolved, target, deps),
    inFlightAction(deps.store, resolved.lockKey, deps.now()),
    lastExecuted(deps.store, resolved.lockKey, deps.now()),
  ]);
  const store = {
    holder: holder && holder.id !== selfId ? holder : null,
    // From when it finished (the component settled then), or now while it is still running.
    lastExecutedAt: last && last.id !== selfId ? (last.finishedAt ?? deps.now()) : null,
  };
  return { resolved, result: driver.judge(facts, target, store, resolved.settings, deps.now()), leader: driver.currentLeader(facts) };
}

/** The preflight on its own (the confirm dialog shows it before the operator requests); records nothing. */
export async function preflight(deps: ActionDeps, actor: ActionActor, input: ActionTarget): Promise<PreflightResult & { leader: string | null; confirmName: string }> {
  if (!mayRequest(actor.role)) throw new AppError("FORBIDDEN", `requesting actions needs the operator role; you are ${actor.role}`);
  const target = parseInput(ActionTarget, input);
  const driver = driverFor(target.kind);
  await sweep(deps, driver.resolve(deps.config, target).lockKey);
  const run = await runPreflight(deps, target, null);
  return { ...run.result, leader: run.leader, confirmName: driver.confirmName(run.resolved) };
}

import "server-only";
import type { ActionView } from "@/lib/actions";
import { getAction } from "@/server/store/actions";
import { closeOut } from "./close-out";
import { execute } from "./execute";
import { record } from "./record";
import type { ActionDeps } from "./types";

/** Runs in this process, by id, on globalThis so a dev hot reload does not start one twice. */
const g = globalThis as unknown as { __hacrActionRuns?: Map<number, Promise<ActionView | null>> };
const runs = (g.__hacrActionRuns ??= new Map());

/**
 * Starts execute → verify → record for an approved action in the background (the approve mutation
 * returns at once; pages follow the progress live). A bug on the way closes the action as `unknown`,
 * never leaves it holding the target.
 */
export function startExecution(deps: ActionDeps, id: number): Promise<ActionView | null> {
  const running = runs.get(id);
  if (running) return running;
  const p = execute(deps, id)
    .catch(async (e: unknown) => {
      console.error(`[actions] #${id} failed unexpectedly:`, e);
      const a = await getAction(deps.store, id, deps.now()).catch(() => null);
      const c = a && closeOut(a.state, "internal_error");
      if (!a || !c || c.to === "expired") return a;
      return record(deps, id, [a.state], c.to, c.outcome).catch(() => null);
    })
    .finally(() => runs.delete(id));
  runs.set(id, p);
  return p;
}

/** The runs in progress in this process (shutdown waits for them). */
export function runningExecutions(): Promise<unknown>[] {
  return [...runs.values()];
}

/** The same, with the action ids (shutdown records the ones it had to interrupt). */
export function runningExecutionEntries(): [number, Promise<unknown>][] {
  return [...runs.entries()];
}

import "server-only";
import { refusals, type ActionView } from "@/lib/actions";
import { AppError } from "@/server/errors";
import { getAction, transition } from "@/server/store/actions";
import { appendAudit } from "@/server/store/audit";
import { driverFor, targetOf } from "./drivers";
import { actionsChanged } from "./notify";
import { runPreflight } from "./preflight";
import { record } from "./record";
import { systemActor, type ActionDeps } from "./types";
import { verify } from "./verify";
import { actionAlertOptions } from "@/server/alerting/actions";

/**
 * Step 4, right after approval: re-runs the preflight, then acts through the component's own
 * interface only if the leader is still the one the request named (Patroni also checks it itself,
 * from its `leader` parameter). Then verifies (step 5) and records (step 6). Only one process gets
 * past approved → executing (compare-and-set in the store).
 */
export async function execute(deps: ActionDeps, id: number): Promise<ActionView> {
  const a = await getAction(deps.store, id, deps.now());
  if (!a) throw new AppError("NOT_FOUND", `no action #${id}`);
  if (a.state !== "approved") return a;
  const sys = systemActor(deps.instanceId);
  const driver = driverFor(a.kind);
  const resolved = driver.resolve(deps.config, targetOf(a));

  const run = await runPreflight(deps, targetOf(a), a.id);
  if (!run.result.ok) {
    const why = `refused at execution time: ${refusals(run.result).map((c) => c.detail).join("; ")}`;
    const done = await transition(deps.store, a.id, ["approved"], "refused", { finishedAt: deps.now(), outcome: why, preflight: run.result }, { actor: sys, event: "refuse", at: deps.now(), detail: why }, actionAlertOptions(deps.config));
    actionsChanged();
    return done ?? (await getAction(deps.store, a.id, deps.now())) ?? a;
  }

  const started = await transition(deps.store, a.id, ["approved"], "executing", { executingAt: deps.now(), ownerInstance: deps.instanceId, preflight: run.result }, {
    actor: sys,
    event: "execute",
    at: deps.now(),
    detail: `preflight re-run at execution: passed; acting on ${a.targetId}${a.node ? ` (${a.node})` : ""}`,
  }, actionAlertOptions(deps.config));
  if (!started) return (await getAction(deps.store, a.id, deps.now())) ?? a;
  actionsChanged();

  const res = await driver.act(resolved, started, deps);
  await appendAudit(deps.store, { actor: sys, event: "execute", at: deps.now(), detail: `${res.status}: ${res.message}` }, started);
  if (res.status === "refused") return (await record(deps, a.id, ["executing"], "refused", res.message)) ?? started;
  if (res.status === "failed") return (await record(deps, a.id, ["executing"], "failed", res.message)) ?? started;

  const verifying = await transition(deps.store, a.id, ["executing"], "verifying", { verifyingAt: deps.now() }, {
    actor: sys,
    event: "verify",
    at: deps.now(),
    detail: res.status === "ambiguous" ? `no clear answer (${res.message}); verifying what happened` : "verifying",
  }, actionAlertOptions(deps.config));
  if (!verifying) return (await getAction(deps.store, a.id, deps.now())) ?? started;
  actionsChanged();
  return verify(deps, a.id);
}

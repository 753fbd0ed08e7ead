import "server-only";
import { AuditListInput, ListInput, auditCsv, mayAudit, type ActionView, type AuditEntry } from "@/lib/actions";
import { Waker } from "@/lib/async";
import { AppError, parseInput } from "@/server/errors";
import { actionsWatermark, getAction, listActions } from "@/server/store/actions";
import { listAudit } from "@/server/store/audit";
import { onActionsChanged } from "./notify";
import { sweep } from "./sweep";
import type { ActionActor, ActionDeps } from "./types";

export async function getActionView(deps: ActionDeps, id: number): Promise<ActionView> {
  const a = await getAction(deps.store, id, deps.now());
  if (!a) throw new AppError("NOT_FOUND", `no action #${id}`);
  return a;
}

export async function listActionViews(deps: ActionDeps, input: ListInput): Promise<ActionView[]> {
  const q = parseInput(ListInput, input);
  await sweep(deps);
  return listActions(deps.store, q, deps.now());
}

function requireAdmin(actor: ActionActor): void {
  if (!mayAudit(actor.role)) throw new AppError("FORBIDDEN", `the audit log is for admins; you are ${actor.role}`);
}

export async function auditList(deps: ActionDeps, actor: ActionActor, input: AuditListInput): Promise<AuditEntry[]> {
  requireAdmin(actor);
  const q = parseInput(AuditListInput, input);
  return listAudit(deps.store, q);
}

/** The audit log as CSV (UTC times), oldest first, for an admin to download. */
export async function auditCsvExport(deps: ActionDeps, actor: ActionActor, input: AuditListInput): Promise<string> {
  requireAdmin(actor);
  const q = parseInput(AuditListInput, { limit: 10_000, ...input });
  return auditCsv(await listAudit(deps.store, { ...q, order: "asc" }));
}

const POLL_MS = 1_000;
const SWEEP_EVERY_MS = 5_000;

/**
 * The recent actions, pushed whenever one changes: at once for changes made by this process, within
 * a second for changes made by another dashboard sharing the store. First the current list.
 */
export async function* liveActions(deps: ActionDeps, signal: AbortSignal | undefined, limit = 50): AsyncGenerator<ActionView[]> {
  const changed = new Waker();
  const off = onActionsChanged(() => changed.wake());
  let last = "";
  let lastSweep = Number.NEGATIVE_INFINITY;
  try {
    while (!signal?.aborted) {
      if (deps.now() - lastSweep >= SWEEP_EVERY_MS) {
        await sweep(deps);
        lastSweep = deps.now();
      }
      const w = await actionsWatermark(deps.store);
      if (w !== last) {
        last = w;
        yield await listActions(deps.store, { limit }, deps.now());
      }
      await changed.wait(POLL_MS, signal);
    }
  } finally {
    off();
  }
}

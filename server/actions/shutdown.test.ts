import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PreflightResult } from "@/lib/actions";
import { getAction, insertRequest, transition } from "@/server/store/actions";
import { listAudit, type AuditActor } from "@/server/store/audit";
import { openStore, type Store } from "@/server/store/store";
import { drainExecutions, SHUTDOWN_OUTCOME_EXECUTED, SHUTDOWN_OUTCOME_NOT_EXECUTED } from "./shutdown";

/** Shutdown with actions running, on a real (in-memory) control store; the runs are stand-in promises. */

const ann: AuditActor = { id: "u-ann", name: "Ann", role: "operator", ip: "10.1.1.1" };
const bob: AuditActor = { id: "u-bob", name: "Bob", role: "approver", ip: "10.1.1.2" };
const passed: PreflightResult = { ok: true, at: 0, checks: [], facts: {} };
let store: Store;
let seq = 0;
const deps = () => ({ store, now: Date.now, instanceId: "inst-a" });

/** An action moved to `state` the way the workflow moves it. */
async function actionIn(state: "approved" | "executing" | "verifying"): Promise<number> {
  const now = Date.now();
  const lockKey = `patroni:shutdown${++seq}`;
  const r = await insertRequest(store, {
    kind: "patroni_switchover", targetId: `shutdown${seq}`, lockKey, node: "pg3", expectedLeader: "pg1", scheduledAt: null, reason: "patching pg1",
    clientRequestId: `c${seq}`, requester: ann, preflight: passed, now, expiresAt: now + 600_000, ownerInstance: "inst-a",
  }, null);
  const id = r.action.id;
  await transition(store, id, ["requested"], "approved", { approverId: bob.id, approverName: bob.name, approvedAt: now }, { actor: bob, event: "approve", at: now });
  if (state === "approved") return id;
  await transition(store, id, ["approved"], "executing", { executingAt: now, ownerInstance: "inst-a" }, { actor: ann, event: "execute", at: now });
  if (state === "executing") return id;
  await transition(store, id, ["executing"], "verifying", { verifyingAt: now }, { actor: ann, event: "verify", at: now });
  return id;
}

const never = () => new Promise<never>(() => {});
const after = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

beforeAll(async () => {
  store = await openStore({ memory: true });
}, 60_000);
afterAll(async () => {
  await store?.close();
});

describe("shutdown with actions running", () => {
  it("waits for a run that ends within the wait and leaves its action alone", async () => {
    const id = await actionIn("verifying");
    const run = after(150).then(() => transition(store, id, ["verifying"], "succeeded", { finishedAt: Date.now(), outcome: "pg3 is the new leader" }, { actor: ann, event: "outcome", at: Date.now() }));
    const t0 = Date.now();
    const r = await drainExecutions(deps(), 5_000, () => [[id, run]]);
    expect(Date.now() - t0).toBeLessThan(4_000);
    expect(r.finished).toEqual([id]);
    expect(r.interrupted).toEqual([]);
    expect((await getAction(store, id, Date.now()))?.state).toBe("succeeded");
  });

  it("records a run still going at the deadline as interrupted, outcome unknown, in the audit log", async () => {
    const verifying = await actionIn("verifying");
    const executing = await actionIn("executing");
    const approved = await actionIn("approved");
    const t0 = Date.now();
    const r = await drainExecutions(deps(), 300, () => [[verifying, never()], [executing, never()], [approved, never()]]);
    const waited = Date.now() - t0;
    expect(waited).toBeGreaterThanOrEqual(290);
    expect(waited).toBeLessThan(5_000);
    expect(r.interrupted.map((a) => [a.id, a.state]).sort()).toEqual([[verifying, "unknown"], [executing, "unknown"], [approved, "failed"]].sort());
    for (const id of [verifying, executing]) {
      const a = await getAction(store, id, Date.now());
      expect(a).toMatchObject({ state: "unknown", outcome: SHUTDOWN_OUTCOME_EXECUTED });
      expect(a!.outcome).toContain("interrupted by shutdown; outcome unknown");
      const last = (await listAudit(store, { requestId: id, limit: 10 }))[0]!;
      expect(last).toMatchObject({ event: "outcome", actorId: "system", actorName: "dashboard inst-a" });
      expect(last.detail).toContain("interrupted by shutdown; outcome unknown");
    }
    expect(await getAction(store, approved, Date.now())).toMatchObject({ state: "failed", outcome: SHUTDOWN_OUTCOME_NOT_EXECUTED });
    // Nothing can be executed after that: the approved one can no longer move to executing.
    expect(await transition(store, approved, ["approved"], "executing", { executingAt: Date.now() }, { actor: ann, event: "execute", at: Date.now() })).toBeNull();
  });

  it("an interrupted run that records its own outcome later cannot overwrite the shutdown's record", async () => {
    const id = await actionIn("verifying");
    await drainExecutions(deps(), 50, () => [[id, never()]]);
    expect(await transition(store, id, ["verifying"], "succeeded", { finishedAt: Date.now() }, { actor: ann, event: "outcome", at: Date.now() })).toBeNull();
    expect((await getAction(store, id, Date.now()))?.state).toBe("unknown");
  });

  it("with nothing running it returns at once", async () => {
    const t0 = Date.now();
    expect(await drainExecutions(deps(), 5_000, () => [])).toEqual({ finished: [], interrupted: [] });
    expect(Date.now() - t0).toBeLessThan(1_000);
  });
});

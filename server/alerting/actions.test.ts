import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PreflightResult } from "@/lib/actions";
import { alertFingerprint } from "@/lib/alerts";
import { parseConfig } from "@/server/config/load";
import { activeAlerts, alertEventsAfter, getAlert, lastAlertEventId } from "@/server/store/alerts";
import { getAction, insertRequest, transition, type NewRequest } from "@/server/store/actions";
import type { AuditActor } from "@/server/store/audit";
import { storeDb, openStore, type Store } from "@/server/store/store";
import { actionAlertChange, actionAlertOptions, type ActionAlertOptions } from "./actions";

/** Action alerts are written in the transaction of the action's change, on a real (in-memory PGlite) store. */

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
const TTL = 600_000;
const opts: ActionAlertOptions = { ttlMs: TTL, componentOf: () => "database" };
const ann: AuditActor = { id: "u-ann", name: "Ann", role: "operator", ip: "10.1.1.1" };
const bob: AuditActor = { id: "u-bob", name: "Bob", role: "approver", ip: "10.1.1.2" };
const passed: PreflightResult = { ok: true, at: NOW, checks: [], facts: {} };
let seq = 0;
const newRequest = (target: string): NewRequest => ({
  kind: "patroni_switchover", targetId: target, lockKey: `patroni:${target}`, node: "pg3", expectedLeader: "pg1", scheduledAt: null,
  reason: "patching pg1", clientRequestId: `crid-alerts-${++seq}`, requester: ann, preflight: passed, now: NOW, expiresAt: NOW + 600_000, ownerInstance: "test",
});

let store: Store;
beforeAll(async () => {
  store = await openStore({ memory: true });
}, 60_000);
afterAll(async () => {
  await store.close();
});

const eventsSince = async (id: number) => (await alertEventsAfter(store, id)).map((e) => `${e.labels.alertname}:${e.status}`);

describe("action alerts in the store", () => {
  it("a request fires ActionAwaitingApproval for its approvers, labelled and linked to the action", async () => {
    const before = await lastAlertEventId(store);
    const r = await insertRequest(store, newRequest("c1"), null, opts);
    expect(await eventsSince(before)).toEqual(["ActionAwaitingApproval:firing"]);
    const [e] = await alertEventsAfter(store, before);
    expect(e).toMatchObject({
      labels: { alertname: "ActionAwaitingApproval", severity: "warning", kind: "patroni_switchover", target: "c1", cluster: "c1", node: "pg3", component: "database", action_id: String(r.action.id) },
      path: `/actions/${r.action.id}`,
      source: "action",
      startsAt: NOW,
      endsAt: null,
    });
    expect(e!.annotations.summary).toBe(`Patroni switchover #${r.action.id} (c1: pg1 → pg3) awaits approval`);
  });

  it("approval resolves it; success fires ActionExecuted (info) for the TTL", async () => {
    const r = await insertRequest(store, newRequest("c2"), null, opts);
    const before = await lastAlertEventId(store);
    await transition(store, r.action.id, ["requested"], "approved", { approverId: bob.id, approverName: bob.name, approvedAt: NOW + 5 }, { actor: bob, event: "approve", at: NOW + 5 }, opts);
    expect(await eventsSince(before)).toEqual(["ActionAwaitingApproval:resolved"]);
    // Steps that owe nothing write nothing.
    await transition(store, r.action.id, ["approved"], "executing", { executingAt: NOW + 6 }, { actor: bob, event: "execute", at: NOW + 6 }, opts);
    await transition(store, r.action.id, ["executing"], "verifying", { verifyingAt: NOW + 7 }, { actor: bob, event: "verify", at: NOW + 7 }, opts);
    expect(await eventsSince(before)).toEqual(["ActionAwaitingApproval:resolved"]);
    const done = await transition(store, r.action.id, ["verifying"], "succeeded", { finishedAt: NOW + 8, outcome: "pg3 leads, timeline 5" }, { actor: bob, event: "outcome", at: NOW + 8 }, opts);
    expect(await eventsSince(before)).toEqual(["ActionAwaitingApproval:resolved", "ActionExecuted:firing"]);
    const executed = (await activeAlerts(store)).find((a) => a.labels.action_id === String(done!.id));
    expect(executed).toMatchObject({ labels: { alertname: "ActionExecuted", severity: "info" }, expiresAt: NOW + 8 + TTL, annotations: { description: "pg3 leads, timeline 5" } });
  });

  it.each([
    ["rejected", "reject"],
    ["cancelled", "cancel"],
    ["expired", "expire"],
  ] as const)("%s resolves the awaiting-approval alert", async (to, event) => {
    const r = await insertRequest(store, newRequest(`c-${to}`), null, opts);
    const before = await lastAlertEventId(store);
    await transition(store, r.action.id, ["requested"], to, { finishedAt: NOW + 9 }, { actor: bob, event, at: NOW + 9 }, opts);
    const [e] = await alertEventsAfter(store, before);
    expect(e).toMatchObject({ status: "resolved", endsAt: NOW + 9, labels: { alertname: "ActionAwaitingApproval" } });
    expect(await getAlert(store, e!.fingerprint)).toMatchObject({ resolvedAt: NOW + 9 });
  });

  it("a failure is critical; an unknown outcome is critical and resolves once the outcome is known", async () => {
    const r = await insertRequest(store, newRequest("c3"), null, opts);
    await transition(store, r.action.id, ["requested"], "approved", { approvedAt: NOW + 1 }, { actor: bob, event: "approve", at: NOW + 1 }, opts);
    const before = await lastAlertEventId(store);
    await transition(store, r.action.id, ["approved"], "unknown", { finishedAt: NOW + 2, outcome: "no answer" }, { actor: bob, event: "outcome", at: NOW + 2 }, opts);
    await transition(store, r.action.id, ["unknown"], "failed", { outcome: "pg1 still leads" }, { actor: bob, event: "outcome", at: NOW + 3 }, opts);
    expect(await eventsSince(before)).toEqual(["ActionOutcomeUnknown:firing", "ActionFailed:firing", "ActionOutcomeUnknown:resolved"]);
    const severities = (await alertEventsAfter(store, before)).map((e) => e.labels.severity);
    expect(severities).toEqual(["critical", "critical", "critical"]);
  });

  it("a refused request raises nothing, and without options nothing is written", async () => {
    const before = await lastAlertEventId(store);
    await insertRequest(store, newRequest("c4"), "preflight refused: lag", opts);
    await insertRequest(store, newRequest("c5"), null);
    expect(await eventsSince(before)).toEqual([]);
  });

  it("a failing alert write rolls the action's change back", async () => {
    const r = await insertRequest(store, newRequest("c6"), null, opts);
    // Break the outbox for this test only: the change and its alert must go together.
    await storeDb(store).execute("alter table alert_events add constraint no_more check (false) not valid");
    try {
      await expect(transition(store, r.action.id, ["requested"], "rejected", { finishedAt: NOW + 1 }, { actor: bob, event: "reject", at: NOW + 1 }, opts)).rejects.toThrow();
      expect((await getAction(store, r.action.id, NOW))!.state).toBe("requested");
    } finally {
      await storeDb(store).execute("alter table alert_events drop constraint no_more");
    }
  });
});

describe("actionAlertChange", () => {
  it("names one alert per action and state, so each fires once", () => {
    const view = { id: 7, kind: "sentinel_failover", targetId: "labredis", node: null, state: "failed", requester: { name: "Ann" }, reason: "r", outcome: "x", requestedAt: NOW, expiresAt: NOW } as never;
    const { fire, resolveIfActive } = actionAlertChange(view, NOW, { ttlMs: TTL });
    expect(fire.map((e) => e.labels)).toEqual([{ alertname: "ActionFailed", severity: "critical", kind: "sentinel_failover", target: "labredis", action_id: "7" }]);
    expect(fire[0]!.fingerprint).toBe(alertFingerprint(fire[0]!.labels));
    expect(resolveIfActive.map((e) => e.labels.alertname)).toEqual(["ActionAwaitingApproval", "ActionExecuted", "ActionOutcomeUnknown"]);
  });

  it("options come from the config: none without alerting, the TTL and each target's component with it", () => {
    const base = { version: 1, clusters: [{ id: "labcluster", component: "database", nodes: [{ name: "pg1", rest: "http://127.0.0.1:8011", dsn: "postgres://m@127.0.0.1:5441/postgres" }] }] };
    expect(actionAlertOptions(parseConfig(JSON.stringify(base), "t.yaml"))).toBeUndefined();
    const withAlerting = { ...base, alerting: { receivers: [{ name: "am", type: "alertmanager", url: "http://127.0.0.1:18093" }], route: { receiver: "am" }, eventAlertTtlMs: 5_000 } };
    const o = actionAlertOptions(parseConfig(JSON.stringify(withAlerting), "t.yaml"))!;
    expect(o.ttlMs).toBe(5_000);
    expect(o.componentOf!("patroni_switchover", "labcluster")).toBe("database");
    expect(o.componentOf!("vrrp_drain", "labcluster")).toBeUndefined();
  });
});

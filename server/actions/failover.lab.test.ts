/**
 * The guarded action workflow against the real lab: real Patroni switchovers, a Sentinel failover and a
 * VRRP drain through the services, and every refusal, each audited. Run under the lab lock
 * (`flock /tmp/hacr-lab.lock npx vitest run --project lab <this file>`; test-all holds it for the suite).
 * Leaves the lab healthy: a leader, a sync standby and two streaming replicas; Redis settled; no node drained.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEntry, RequestInput } from "@/lib/actions";
import { patroniCluster, sentinelMasters, vipHolder, vrrpStates } from "@/e2e/lab/inspect";
import { drain, fault, up } from "@/e2e/lab/lab";
import { REDIS_MASTER_NAME, VRRP_INSTANCES } from "@/e2e/lab/topology";
import type { Config } from "@/server/config/load";
import { listAudit } from "@/server/store/audit";
import { openStore, type Store } from "@/server/store/store";
import { slaBudgets } from "@/server/sla/service";
import { waitFor } from "@/e2e/lab/proc";
import { approve, cancel, execute, listActionViews, reject, request, type ActionDeps } from "./index";
import { PEOPLE, TEST_PASSWORD, directSwitchover, labConfig, labWriteLoop, restoreLab, testApproverProof, waitHealthyCluster, waitHealthyRedis, waitHealthyVrrp } from "./testing/lab";

const { alice, bob, carol, dave } = PEOPLE;
let store: Store;
let config: Config;
let deps: ActionDeps;

const crid = () => randomUUID();
const audit = async (id: number): Promise<AuditEntry[]> => listAudit(store, { requestId: id, limit: 100, order: "asc" });
const events = async (id: number) => (await audit(id)).map((e) => e.event);

function switchoverRequest(leader: string, candidate: string, reason = "kernel patch on the leader"): RequestInput {
  return { kind: "patroni_switchover", targetId: "labcluster", node: candidate, expectedLeader: leader, reason, clientRequestId: crid() };
}

beforeAll(async () => {
  await up();
  await restoreLab();
  store = await openStore({ memory: true });
  // No Patroni cooldown here: the refusal tests request right after the switchover tests (the cooldown
  // itself is judged in patroni-rules.test.ts; Sentinel's is checked below, with the lab's settings).
  config = labConfig((raw) => Object.assign(raw.clusters[0]!.actions, { cooldownSeconds: 0 }));
  deps = { store, config, now: Date.now, instanceId: "lab-test", keepWatchingMs: 0, proveApprover: testApproverProof };
}, 240_000);

afterAll(async () => {
  await restoreLab();
  await store?.close();
}, 240_000);

describe("Patroni switchover through the workflow", () => {
  it("operator requests, approver approves, the service switches over; Patroni confirms the new leader and a write loop through HAProxy loses no acknowledged write", async () => {
    const before = await waitHealthyCluster();
    const writes = labWriteLoop();
    await writes.start();
    await new Promise((r) => setTimeout(r, 1_000));

    const input = switchoverRequest(before.leader, before.sync);
    const req = await request(deps, alice, input);
    expect(req.status).toBe("created");
    expect(req.action.state).toBe("requested");
    expect(req.action.preflight?.ok).toBe(true);
    // A double-click (same client request id) is the same request, recorded once.
    const again = await request(deps, alice, input);
    expect(again).toMatchObject({ status: "duplicate", action: { id: req.action.id, state: "requested" } });

    const approved = await approve(deps, bob, { id: req.action.id, password: TEST_PASSWORD });
    expect(approved.state).toBe("approved");
    const done = await execute(deps, req.action.id);
    await writes.stop();

    expect(done.state, done.outcome ?? "").toBe("succeeded");
    expect(done.newTimeline).toBe(before.timeline + 1);
    expect(done.outcome).toMatch(new RegExp(`^${before.sync} is the primary on timeline ${before.timeline + 1}; .* streaming; haproxy/pg_rw routes to ${before.sync}$`));
    // Patroni's own API says so too.
    const c = await patroniCluster();
    expect(c?.members.find((m) => m.role === "leader")?.name).toBe(before.sync);

    expect(writes.acks.length).toBeGreaterThan(50);
    expect(await writes.lost()).toEqual([]);
    expect(done.durations.execution).toBeGreaterThan(0);
    expect(done.durations.verification).toBeGreaterThanOrEqual(0);
    expect(await events(req.action.id)).toEqual(["request", "approve", "execute", "execute", "verify", "outcome"]);
    const outcome = (await audit(req.action.id)).at(-1)!;
    expect(outcome.timeline).toBe(before.timeline + 1);

    // The SLA's failover cost preview for the cluster's component now reads this switchover, execute → verified.
    const sla = await slaBudgets({ config, store }, Date.now());
    const cost = sla.components.find((x) => x.id === config.clusters[0]!.component)!.failoverCost;
    expect(cost).toMatchObject({ basis: "actions", count: 1, medianMs: done.finishedAt! - done.executingAt! });
  }, 120_000);
});

describe("refusals, each recorded in the audit log", () => {
  it("a viewer cannot request, and the refusal is audited", async () => {
    const h = await waitHealthyCluster();
    await expect(request(deps, carol, switchoverRequest(h.leader, h.sync))).rejects.toMatchObject({ code: "FORBIDDEN" });
    const rows = await listAudit(store, { limit: 20 });
    expect(rows.find((r) => r.actorId === carol.id)).toMatchObject({ event: "refuse", requestId: null, actorIp: carol.ip, detail: expect.stringMatching(/viewer role may not request/) });
  }, 60_000);

  it("the requester cannot approve their own request; another approver can reject it", async () => {
    const h = await waitHealthyCluster();
    const req = await request(deps, alice, switchoverRequest(h.leader, h.sync));
    expect(req.action.state).toBe("requested");
    await expect(approve(deps, { ...alice, role: "approver" }, { id: req.action.id, password: TEST_PASSWORD })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: "the requester cannot approve their own request: a second person must",
    });
    await expect(approve(deps, bob, { id: req.action.id, password: "not-the-password" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const rejected = await reject(deps, bob, { id: req.action.id, reason: "not during market hours" });
    expect(rejected.state).toBe("rejected");
    expect(await events(req.action.id)).toEqual(["request", "refuse", "refuse", "reject"]);
    expect((await audit(req.action.id))[1]).toMatchObject({ actorId: alice.id, detail: expect.stringMatching(/requester cannot approve/) });
  }, 60_000);

  it("a candidate outside the synchronous set is refused with Patroni's reason", async () => {
    const h = await waitHealthyCluster();
    const r = await request(deps, alice, switchoverRequest(h.leader, h.replica));
    expect(r.action.state).toBe("refused");
    expect(r.action.outcome).toMatch(new RegExp(`${h.replica} is not in the synchronous standby set \\(${h.sync}\\)`));
    expect(await events(r.action.id)).toEqual(["refuse"]);
  }, 60_000);

  it("a frozen candidate (SIGSTOP) is refused: it does not answer", async () => {
    const h = await waitHealthyCluster();
    await fault("stop", h.sync);
    let r: Awaited<ReturnType<typeof request>>;
    try {
      r = await request(deps, alice, switchoverRequest(h.leader, h.sync));
    } finally {
      await fault("resume", h.sync);
    }
    expect(r.action.state).toBe("refused");
    expect(r.action.outcome).toMatch(new RegExp(`${h.sync}'s (Patroni REST API|PostgreSQL) does not answer: no answer within the deadline`));
    expect((await audit(r.action.id))[0]).toMatchObject({ event: "refuse", actorId: alice.id, reason: "kernel patch on the leader" });
    await waitHealthyCluster();
  }, 90_000);

  it("two concurrent requests: exactly one proceeds, the other is refused and audited", async () => {
    const h = await waitHealthyCluster();
    const [a, b] = await Promise.all([request(deps, alice, switchoverRequest(h.leader, h.sync)), request(deps, dave, switchoverRequest(h.leader, h.sync))]);
    const ok = [a, b].filter((x) => x.action.state === "requested");
    const no = [a, b].filter((x) => x.action.state === "refused");
    expect(ok).toHaveLength(1);
    expect(no).toHaveLength(1);
    expect(no[0]!.action.outcome).toMatch(new RegExp(`#${ok[0]!.action.id} \\(patroni_switchover, requested`));
    expect(await events(no[0]!.action.id)).toEqual(["refuse"]);
    const cancelled = await cancel(deps, ok[0]!.action.requester.id === alice.id ? alice : dave, { id: ok[0]!.action.id, reason: "test over" });
    expect(cancelled.state).toBe("cancelled");
  }, 60_000);

  it("an approval after the approval window is refused and the request expires", async () => {
    const h = await waitHealthyCluster();
    const req = await request(deps, alice, switchoverRequest(h.leader, h.sync));
    const later: ActionDeps = { ...deps, now: () => Date.now() + 10 * 60_000 + 1_000 };
    await expect(approve(later, bob, { id: req.action.id, password: TEST_PASSWORD })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: expect.stringMatching(/approval window ended .* the request has expired/),
    });
    expect(await events(req.action.id)).toEqual(["request", "expire", "refuse"]);
    // The expired request no longer holds the cluster.
    const next = await request(deps, alice, switchoverRequest(h.leader, h.sync));
    expect(next.action.state).toBe("requested");
    await cancel(deps, alice, { id: next.action.id, reason: "test over" });
  }, 60_000);

  it("the leader changed between request and execution: refused at execution, nothing done", async () => {
    const h = await waitHealthyCluster();
    const req = await request(deps, alice, switchoverRequest(h.leader, h.sync));
    expect(req.action.state).toBe("requested");
    // Someone moves the leader behind the dashboard's back.
    expect(await directSwitchover(h.leader, h.sync)).toBe(200);
    const moved = await waitHealthyCluster();
    expect(moved.leader).toBe(h.sync);
    await approve(deps, bob, { id: req.action.id, password: TEST_PASSWORD });
    const done = await execute(deps, req.action.id);
    expect(done.state).toBe("refused");
    expect(done.outcome).toMatch(new RegExp(`the leader changed since the request: it was ${h.leader}, it is now ${h.sync}`));
    expect(done.executingAt).toBeNull();
    expect(await events(req.action.id)).toEqual(["request", "approve", "refuse"]);
    expect((await patroniCluster())?.members.find((m) => m.role === "leader")?.name).toBe(h.sync);
  }, 120_000);
});

describe("Redis Sentinel failover through the workflow", () => {
  it("promotes the replica; verification outlasts its timeout (the old master converts ~10 s later): 'outcome unknown', kept watching, late outcome recorded", async () => {
    const before = await waitHealthyRedis();
    // A 5 s verification limit: Sentinel turns the old master into a replica only on its next 10 s INFO poll.
    const impatient: ActionDeps = {
      ...deps,
      config: labConfig((raw) => Object.assign(raw.sentinels[0]!.actions, { verifyTimeoutSeconds: 5 })),
      keepWatchingMs: 60_000,
    };
    const req = await request(impatient, alice, { kind: "sentinel_failover", targetId: REDIS_MASTER_NAME, reason: "move the cache off the host", clientRequestId: crid() });
    expect(req.action.state, req.action.outcome ?? "").toBe("requested");
    expect(req.action.expectedLeader).toBe(before.master);
    await approve(impatient, bob, { id: req.action.id, password: TEST_PASSWORD });
    const first = await execute(impatient, req.action.id);
    expect(first.state).toBe("unknown");
    expect(first.outcome).toMatch(new RegExp(`^outcome unknown, may still be in progress: ${before.replica} is master; the old master ${before.master} is still a writable master`));
    const late = await waitFor(
      "the late outcome",
      async () => {
        const a = (await listActionViews(impatient, { limit: 5 })).find((x) => x.id === req.action.id);
        return a?.state === "succeeded" ? a : false;
      },
      60_000,
      500,
    );
    expect(late.outcome).toMatch(new RegExp(`^confirmed \\d+ s after the verification timeout: ${before.replica} is master, named by 3 sentinels; ${before.master} replicates from it$`));
    expect(await events(req.action.id)).toEqual(["request", "approve", "execute", "execute", "verify", "outcome", "outcome"]);
    expect(new Set(Object.values(await sentinelMasters()))).toEqual(new Set([before.replica]));
    // Right after, a second failover is refused: the cooldown counts from this one.
    const second = await request(deps, alice, { kind: "sentinel_failover", targetId: REDIS_MASTER_NAME, reason: "and back again", clientRequestId: crid() });
    expect(second.action.state).toBe("refused");
    expect(second.action.outcome).toMatch(/the last failover was .* ago; the cooldown is 15 s/);
    await waitHealthyRedis();
  }, 120_000);
});

describe("VRRP drain through the workflow", () => {
  it("drains the MASTER: every VIP moves to the peer; undrain gives the node its VIPs back", async () => {
    const master = await waitHealthyVrrp();
    const peer = master === "ka1" ? "ka2" : "ka1";
    const target = { targetId: "vi-trading", node: master } as const;
    const req = await request(deps, alice, { kind: "vrrp_drain", ...target, reason: "haproxy upgrade on the node", clientRequestId: crid() });
    expect(req.action.state, req.action.outcome ?? "").toBe("requested");
    await approve(deps, bob, { id: req.action.id, password: TEST_PASSWORD });
    const drained = await execute(deps, req.action.id);
    expect(drained.state, drained.outcome ?? "").toBe("succeeded");
    expect(drained.outcome).toBe(`${master} drained: VI_TRADING on ${peer}, VI_DATABASE on ${peer}`);
    for (const vi of VRRP_INSTANCES) expect(vipHolder(vi.vip)).toBe(peer);
    expect(vrrpStates().filter((s) => s.node === master).map((s) => s.state)).toEqual(["BACKUP", "BACKUP"]);

    await new Promise((r) => setTimeout(r, 5_500)); // the lab's VRRP cooldown
    const back = await request(deps, alice, { kind: "vrrp_undrain", ...target, reason: "upgrade done", clientRequestId: crid() });
    expect(back.action.state, back.action.outcome ?? "").toBe("requested");
    await approve(deps, bob, { id: back.action.id, password: TEST_PASSWORD });
    const undrained = await execute(deps, back.action.id);
    expect(undrained.state, undrained.outcome ?? "").toBe("succeeded");
    // keepalived pre-empts: the higher-priority node takes its VIPs back.
    expect(undrained.outcome).toBe(`${master} undrained: VI_TRADING on ${master}, VI_DATABASE on ${master}`);
    for (const vi of VRRP_INSTANCES) expect(vipHolder(vi.vip)).toBe(master);
  }, 120_000);

  it("refuses to drain a node while its peer is drained: the VIPs would have nowhere to go", async () => {
    const master = await waitHealthyVrrp();
    const peer = master === "ka1" ? "ka2" : "ka1";
    drain(peer, true);
    try {
      const r = await request(deps, alice, { kind: "vrrp_drain", targetId: "vi-trading", node: master, reason: "should not happen", clientRequestId: crid() });
      expect(r.action.state).toBe("refused");
      expect(r.action.outcome).toMatch(new RegExp(`${peer} is drained too`));
    } finally {
      drain(peer, false);
    }
  }, 60_000);
});

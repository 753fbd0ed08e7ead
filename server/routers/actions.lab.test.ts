/**
 * The actions router through createCaller against the lab: who may call what, the CSRF guard on
 * mutations, and no secret in any answer. Requests made here are cancelled; nothing is executed.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { up } from "@/e2e/lab/lab";
import { PG_AUTH } from "@/e2e/lab/topology";
import { labConfig, waitHealthyCluster } from "@/server/actions/testing/lab";
import { openStore, type Store } from "@/server/store/store";
import { testKiosk, testUser } from "@/server/testing/actors";
import { createInnerTRPCContext } from "@/server/trpc/init";
import { createCaller } from "@/server/trpc/root";
import type { Actor } from "@/lib/roles";

let store: Store;
const config = labConfig();
const as = (actor: Actor, opts: { sameOrigin?: boolean; ip?: string } = {}) =>
  createCaller(createInnerTRPCContext({ actor, getConfig: () => config, getStore: async () => store, ip: opts.ip ?? "127.0.0.9", sameOrigin: opts.sameOrigin }));

const operator = testUser("operator", "op-1");
const approver = testUser("approver", "ap-1");
const viewer = testUser("viewer", "vw-1");
const admin = testUser("admin", "ad-1");

beforeAll(async () => {
  await up();
  store = await openStore({ memory: true });
}, 180_000);
afterAll(async () => {
  await store?.close();
});

/** No password, DSN or secret-bearing URL anywhere in what the API returns. */
function expectNoSecrets(value: unknown): void {
  const text = JSON.stringify(value);
  for (const secret of Object.values(PG_AUTH).map((a) => a.password)) expect(text).not.toContain(secret);
  expect(text).not.toMatch(/postgres(ql)?:\/\//);
  expect(text).not.toMatch(/redis:\/\/[^"]*@/);
}

describe("actions router", () => {
  it("a viewer and a kiosk token may read but not request; the API refuses them", async () => {
    const h = await waitHealthyCluster();
    const input = { kind: "patroni_switchover" as const, targetId: "labcluster", node: h.sync, reason: "viewer tries", clientRequestId: randomUUID() };
    await expect(as(viewer).actions.request(input)).rejects.toMatchObject({ code: "FORBIDDEN", message: "This needs the operator role; you are viewer" });
    await expect(as(viewer).actions.preflight({ kind: "patroni_switchover", targetId: "labcluster", node: h.sync })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(as(testKiosk()).actions.request(input)).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await as(viewer).actions.list({})).toEqual([]);
  }, 60_000);

  it("a mutation from outside the dashboard's pages (no same-origin proof) is refused: CSRF", async () => {
    const h = await waitHealthyCluster();
    const input = { kind: "patroni_switchover" as const, targetId: "labcluster", node: h.sync, reason: "cross-site attempt", clientRequestId: randomUUID() };
    await expect(as(operator, { sameOrigin: false }).actions.request(input)).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringMatching(/did not come from this dashboard's pages/) });
    await expect(as(approver, { sameOrigin: false }).actions.approve({ id: 1, password: "whatever-password" })).rejects.toMatchObject({ code: "FORBIDDEN" });
  }, 60_000);

  it("preflight, request, get and list answer in names and statuses, never secrets; the audit log is for admins", async () => {
    const h = await waitHealthyCluster();
    const pre = await as(operator).actions.preflight({ kind: "patroni_switchover", targetId: "labcluster", node: h.sync });
    expect(pre).toMatchObject({ ok: true, leader: h.leader, confirmName: "labcluster" });
    expectNoSecrets(pre);

    const req = await as(operator, { ip: "10.9.8.7" }).actions.request({ kind: "patroni_switchover", targetId: "labcluster", node: h.sync, reason: "router test", clientRequestId: randomUUID() });
    expect(req.action).toMatchObject({ state: "requested", expectedLeader: h.leader, requester: { id: "op-1", role: "operator" } });
    expectNoSecrets(req);
    expectNoSecrets(await as(viewer).actions.get({ id: req.action.id }));
    expectNoSecrets(await as(viewer).actions.list({ states: ["requested"] }));

    // The requester cannot approve, even with the approver role; the refusal is audited with their address.
    await expect(as(testUser("approver", "op-1"), { ip: "10.9.8.7" }).actions.approve({ id: req.action.id, password: "whatever-password" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await as(operator).actions.cancel({ id: req.action.id, reason: "router test over" });

    await expect(as(approver).actions.audit({})).rejects.toMatchObject({ code: "FORBIDDEN" });
    const rows = await as(admin).actions.audit({ requestId: req.action.id });
    expect(rows.map((r) => [r.event, r.actorId, r.actorIp])).toEqual([
      ["cancel", "op-1", "127.0.0.9"],
      ["refuse", "op-1", "10.9.8.7"],
      ["request", "op-1", "10.9.8.7"],
    ]);
    const { csv, filename } = await as(admin).actions.auditCsv({ requestId: req.action.id });
    expect(filename).toMatch(/^audit-\d{4}-\d\d-\d\d\.csv$/);
    expect(csv.split("\r\n")[0]).toBe("id,at_utc,actor_id,actor_name,actor_role,actor_ip,event,request_id,kind,target,reason,detail,timeline");
    expect(csv.split("\r\n").filter(Boolean)).toHaveLength(4);
    expect(csv).toMatch(/,\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z,op-1,/);
  }, 60_000);
});

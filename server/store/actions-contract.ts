/**
 * The action store's rules, run against each backend: in-memory PGlite (actions.test.ts) and the
 * lab's plain PostgreSQL 15 with two dashboards sharing it (actions-postgres.lab.test.ts).
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PreflightResult } from "../../lib/actions";
import { countActions, getAction, insertRequest, transition, type NewRequest } from "./actions";
import { appendAudit, listAudit, type AuditActor } from "./audit";
import { findUserByUsername, insertUser, setUserRole } from "./auth";
import { storeDb, withTransaction, type Store } from "./store";

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
const ann: AuditActor = { id: "u-ann", name: "Ann", role: "operator", ip: "10.1.1.1" };
const bob: AuditActor = { id: "u-bob", name: "Bob", role: "approver", ip: "10.1.1.2" };
const passed: PreflightResult = { ok: true, at: NOW, checks: [], facts: {} };
let seq = 0;

export function newRequest(lockKey: string, over: Partial<NewRequest> = {}): NewRequest {
  return {
    kind: "patroni_switchover", targetId: lockKey.split(":")[1] ?? lockKey, lockKey, node: "pg3", expectedLeader: "pg1", scheduledAt: null,
    reason: "patching pg1", clientRequestId: `crid-${process.pid}-${++seq}`, requester: ann, preflight: passed, now: NOW, expiresAt: NOW + 600_000,
    ownerInstance: "test", ...over,
  };
}

/** `open()` returns one or more stores on the same database (several dashboards). */
export function describeActionStoreContract(label: string, open: () => Promise<Store[]>): void {
  describe(label, () => {
    let stores: Store[] = [];
    let store: Store;
    beforeAll(async () => {
      stores = await open();
      store = stores[0]!;
    }, 60_000);
    afterAll(async () => {
      await Promise.all(stores.map((s) => s.close()));
    });
    const key = () => `patroni:c${process.pid}x${++seq}`;

    it("records a request with its audit row in the same transaction", async () => {
      const r = await insertRequest(store, newRequest(key()), null);
      expect(r.status).toBe("created");
      expect(r.action).toMatchObject({ state: "requested", requester: { id: "u-ann", name: "Ann" }, expectedLeader: "pg1" });
      const audit = await listAudit(store, { requestId: r.action.id, limit: 10 });
      expect(audit.map((a) => [a.event, a.actorId, a.actorIp, a.reason])).toEqual([["request", "u-ann", "10.1.1.1", "patching pg1"]]);
      expect(audit[0]!.at).toBe(NOW);
    });

    it("a retried or double-clicked request (same client request id) returns the first one, once", async () => {
      const n = newRequest(key());
      const [a, b] = await Promise.all([insertRequest(stores.at(-1)!, n, null), insertRequest(store, n, null)]);
      expect([a.status, b.status].sort()).toEqual(["created", "duplicate"]);
      expect(a.action.id).toBe(b.action.id);
      expect(await listAudit(store, { requestId: a.action.id, limit: 10 })).toHaveLength(1);
    });

    it("one action in flight per target: of two concurrent requests (from different dashboards) exactly one proceeds, the other is recorded refused", async () => {
      const k = key();
      const results = await Promise.all(stores.concat(stores).slice(0, 2).map((s, i) => insertRequest(s, newRequest(k, { requester: i === 0 ? ann : bob }), null)));
      const created = results.filter((r) => r.status === "created");
      const conflict = results.filter((r) => r.status === "conflict");
      expect(created).toHaveLength(1);
      expect(conflict).toHaveLength(1);
      const c = conflict[0]!;
      if (c.status !== "conflict") throw new Error("unreachable");
      expect(c.action.state).toBe("refused");
      expect(c.action.outcome).toMatch(new RegExp(`another action is in flight on this target: #${created[0]!.action.id}`));
      expect(c.holder?.id).toBe(created[0]!.action.id);
      expect((await listAudit(store, { requestId: c.action.id, limit: 5 })).map((a) => a.event)).toEqual(["refuse"]);
      expect(await countActions(store, k, ["requested"])).toBe(1);
    });

    it("the lock is released once the action is final, and a refused request never holds it", async () => {
      const k = key();
      const refused = await insertRequest(store, newRequest(k), "preflight refused: lag");
      expect(refused.action.state).toBe("refused");
      const first = await insertRequest(store, newRequest(k), null);
      expect(first.status).toBe("created");
      const done = await transition(store, first.action.id, ["requested"], "cancelled", { finishedAt: NOW + 1 }, { actor: ann, event: "cancel", at: NOW + 1, reason: "changed my mind" });
      expect(done?.state).toBe("cancelled");
      expect((await insertRequest(store, newRequest(k), null)).status).toBe("created");
    });

    it("state changes are compare-and-set: of two approvals racing, one wins", async () => {
      const r = await insertRequest(store, newRequest(key()), null);
      const approveWith = (s: Store, who: AuditActor) =>
        transition(s, r.action.id, ["requested"], "approved", { approverId: who.id, approverName: who.name, approvedAt: NOW + 5 }, { actor: who, event: "approve", at: NOW + 5 });
      const carl = { ...bob, id: "u-carl", name: "Carl" };
      const [x, y] = await Promise.all([approveWith(store, bob), approveWith(stores.at(-1)!, carl)]);
      expect([x, y].filter(Boolean)).toHaveLength(1);
      const a = await getAction(store, r.action.id, Date.now());
      expect(a?.state).toBe("approved");
      expect((await listAudit(store, { requestId: r.action.id, limit: 10 })).map((e) => e.event)).toEqual(["approve", "request"]);
    });

    it("the database rejects UPDATE, DELETE and TRUNCATE on the audit log", async () => {
      const db = storeDb(store);
      const before = await listAudit(store, { limit: 10_000 });
      expect(before.length).toBeGreaterThan(0);
      for (const q of [sql`update audit_log set actor_name = 'Mallory'`, sql`delete from audit_log`, sql`truncate audit_log`]) {
        await expect(db.execute(q)).rejects.toMatchObject({ cause: expect.objectContaining({ message: expect.stringMatching(/audit_log is append-only/) }) });
      }
      const after = await listAudit(store, { limit: 10_000 });
      expect(after).toEqual(before);
    });

    it("an admin change and its audit row commit together: a failing audit insert rolls the change back, and a failing change the audit row", async () => {
      const name = `tx${process.pid}x${++seq}`;
      await insertUser(store, { id: `id-${name}`, name, email: `${name}@users.invalid`, username: name, role: "viewer", passwordHash: "not-a-hash", mustChangePassword: false, now: NOW });
      const audited = async () => (await listAudit(store, { limit: 10_000 })).filter((e) => e.targetId === name);
      // The change succeeds, its audit row is refused by the event CHECK: nothing stays.
      const badEvent = { actor: ann, event: "made_up" as "role_change", at: NOW, targetId: name, detail: "x" };
      await expect(
        withTransaction(store, async (tx) => {
          expect(await setUserRole(tx, `id-${name}`, "admin", NOW)).toBe(true);
          await appendAudit(tx, badEvent, null);
        }),
      ).rejects.toMatchObject({ cause: expect.objectContaining({ message: expect.stringMatching(/audit_log_event_check/) }) });
      expect((await findUserByUsername(store, name))?.role).toBe("viewer");
      expect(await audited()).toEqual([]);
      // The audit row is written, the change is refused by the role CHECK: the row goes too.
      await expect(
        withTransaction(store, async (tx) => {
          await appendAudit(tx, { actor: ann, event: "role_change", at: NOW, targetId: name, detail: "viewer -> root" }, null);
          await setUserRole(tx, `id-${name}`, "root", NOW);
        }),
      ).rejects.toMatchObject({ cause: expect.objectContaining({ message: expect.stringMatching(/auth_users_role_check/) }) });
      expect(await audited()).toEqual([]);
      // Both good: both stay.
      await withTransaction(store, async (tx) => {
        await setUserRole(tx, `id-${name}`, "operator", NOW);
        await appendAudit(tx, { actor: ann, event: "role_change", at: NOW, targetId: name, detail: "viewer -> operator" }, null);
      });
      expect((await findUserByUsername(store, name))?.role).toBe("operator");
      expect((await audited()).map((e) => e.detail)).toEqual(["viewer -> operator"]);
    });

    it("the event CHECK (migrations 0005, 0006) takes the admin events and still refuses an unknown one", async () => {
      const target = `t${process.pid}x${++seq}`;
      const events = ["kiosk_create", "kiosk_revoke", "role_change", "user_create", "user_disable", "user_enable", "sessions_end", "password_reset"] as const;
      for (const event of events) {
        await appendAudit(store, { actor: { ...ann, ip: "cli" }, event, at: NOW, targetId: target, detail: event }, null);
      }
      const rows = (await listAudit(store, { limit: 10_000, order: "asc" })).filter((e) => e.targetId === target);
      expect(rows.map((e) => [e.event, e.actorIp, e.requestId])).toEqual(events.map((e) => [e, "cli", null]));
      const bad = sql`insert into audit_log (actor_id, actor_name, actor_role, event) values ('x', 'x', 'x', 'made_up')`;
      await expect(storeDb(store).execute(bad)).rejects.toMatchObject({ cause: expect.objectContaining({ message: expect.stringMatching(/audit_log_event_check/) }) });
    });
  });
}

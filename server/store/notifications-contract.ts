/**
 * The delivery store's rules, run against each backend: in-memory PGlite (notifications.test.ts) and
 * the lab's plain PostgreSQL with two dashboards sharing it (notifications-postgres.lab.test.ts).
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AlertLabels } from "../../lib/alerts";
import type { GroupState } from "../alerting/group";
import {
  claimDue, deleteGroup, getNotification, insertNotifications, listNotifications, loadGroups, lockCursor, recordAttempt, releaseClaims, saveGroup, setCursor,
  type NewNotification,
} from "./notifications";
import { withTransaction, type Store } from "./store";

const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);
let seq = 0;

function note(receiver: string, over: Partial<NewNotification> = {}): NewNotification {
  return {
    webhookId: `msg_${randomUUID()}`, receiver, groupKey: `{}:{n="${++seq}"}`, state: "pending", body: `{"n":${seq}}`, title: `1 firing: N${seq}`,
    alertCount: 1, fingerprints: ["0123456789abcdef"], createdAt: NOW, ...over,
  };
}

/** `open()` returns one or more stores on the same database (several dashboards). */
export function describeNotificationStoreContract(label: string, open: () => Promise<Store[]>): void {
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
    const receiver = () => `r${process.pid}x${++seq}`;

    it("two workers (on different dashboards) never claim the same notification", async () => {
      const r = receiver();
      const ids = await insertNotifications(store, Array.from({ length: 12 }, () => note(r)));
      const claims = await Promise.all([0, 1, 2, 3].map((i) => claimDue(stores[i % stores.length]!, { now: NOW, leaseMs: 10_000, limit: 5, receivers: [r] })));
      const got = claims.flat().map((c) => c.id);
      expect(new Set(got).size).toBe(got.length);
      expect([...got].sort((a, b) => a - b)).toEqual(ids);
    });

    it("a claim holds until its lease runs out; given back, it is due at once", async () => {
      const r = receiver();
      const [id] = await insertNotifications(store, [note(r)]);
      const [c] = await claimDue(store, { now: NOW, leaseMs: 10_000, limit: 10, receivers: [r] });
      expect(c).toMatchObject({ id, receiver: r, attempts: 0, claimedUntil: NOW + 10_000 });
      expect(await claimDue(stores.at(-1)!, { now: NOW + 9_999, leaseMs: 10_000, limit: 10, receivers: [r] })).toEqual([]);
      expect((await claimDue(stores.at(-1)!, { now: NOW + 10_000, leaseMs: 10_000, limit: 10, receivers: [r] })).map((x) => x.id)).toEqual([id]);
      await releaseClaims(store, [id!]);
      expect((await claimDue(store, { now: NOW + 10_001, leaseMs: 10_000, limit: 10, receivers: [r] })).map((x) => x.id)).toEqual([id]);
    });

    it("within a group only the oldest pending notification is due, so a receiver hears a group's changes in order", async () => {
      const r = receiver();
      const [a1, a2, b1] = await insertNotifications(store, [note(r, { groupKey: "A" }), note(r, { groupKey: "A" }), note(r, { groupKey: "B" })]);
      const first = await claimDue(store, { now: NOW, leaseMs: 600_000, limit: 10, receivers: [r] });
      expect(first.map((c) => c.id)).toEqual([a1, b1]);
      // a1 failing and waiting for its retry still holds a2 back.
      await recordAttempt(store, a1!, { attempt: { at: NOW, code: 503, latencyMs: 5, error: null, retryAt: NOW + 60_000 }, state: "pending" });
      expect(await claimDue(store, { now: NOW + 2000, leaseMs: 1000, limit: 10, receivers: [r] })).toEqual([]);
      await recordAttempt(store, a1!, { attempt: { at: NOW + 60_000, code: 200, latencyMs: 5, error: null, retryAt: null }, state: "delivered" });
      expect((await claimDue(store, { now: NOW + 60_001, leaseMs: 1000, limit: 10, receivers: [r] })).map((c) => c.id)).toEqual([a2]);
    });

    it("records each attempt in the row's log and moves it on; a finished notification takes no more attempts", async () => {
      const r = receiver();
      const [id] = await insertNotifications(store, [note(r)]);
      expect(await recordAttempt(store, id!, { attempt: { at: NOW, code: null, latencyMs: 10_000, error: "no answer within the deadline (10000 ms)", retryAt: NOW + 11_000 }, state: "pending" })).toBe(true);
      expect(await recordAttempt(store, id!, { attempt: { at: NOW + 11_000, code: 400, latencyMs: 3.4, error: "bad", retryAt: null }, state: "dead", note: "dead: 400 Bad Request: bad" })).toBe(true);
      expect(await recordAttempt(store, id!, { attempt: { at: NOW + 12_000, code: 200, latencyMs: 1, error: null, retryAt: null }, state: "delivered" })).toBe(false);
      const n = await getNotification(store, id!);
      expect(n).toMatchObject({ state: "dead", attempts: 2, lastCode: 400, lastError: "bad", lastLatencyMs: 3, nextAttemptAt: null, deliveredAt: null, note: "dead: 400 Bad Request: bad" });
      expect(n!.log).toEqual([
        { at: NOW, code: null, latencyMs: 10_000, error: "no answer within the deadline (10000 ms)", retryAt: NOW + 11_000 },
        { at: NOW + 11_000, code: 400, latencyMs: 3.4, error: "bad", retryAt: null },
      ]);
    });

    it("a webhook id is used once", async () => {
      const r = receiver();
      const n = note(r);
      await insertNotifications(store, [n]);
      await expect(insertNotifications(stores.at(-1)!, [{ ...n, groupKey: "other" }])).rejects.toThrow();
    });

    it("silenced rows are never due; the log lists newest first, by receiver and state", async () => {
      const r = receiver();
      const [p, s] = await insertNotifications(store, [note(r), note(r, { state: "silenced", note: "silenced by maintenance #3" })]);
      expect((await claimDue(store, { now: NOW + 1, leaseMs: 1000, limit: 10, receivers: [r] })).map((c) => c.id)).toEqual([p]);
      expect((await listNotifications(store, { receiver: r })).map((n) => n.id)).toEqual([s, p]);
      expect(await listNotifications(store, { receiver: r, states: ["silenced"] })).toEqual([expect.objectContaining({ id: s, note: "silenced by maintenance #3", nextAttemptAt: null })]);
    });

    it("a receiver's cursor is created once, at the end of the outbox, and locked per pass: two passes at once do not lose a move", async () => {
      const r = receiver();
      const first = await withTransaction(store, (tx) => lockCursor(tx, r, NOW));
      expect(first.created).toBe(true);
      const move = (s: Store) =>
        withTransaction(s, async (tx) => {
          const c = await lockCursor(tx, r, NOW);
          expect(c.created).toBe(false);
          await setCursor(tx, r, c.lastEventId + 1, NOW);
        });
      await Promise.all([move(store), move(stores.at(-1)!), move(store), move(stores.at(-1)!)]);
      expect((await withTransaction(store, (tx) => lockCursor(tx, r, NOW))).lastEventId).toBe(first.lastEventId + 4);
    });

    it("groups are stored, read back and deleted per receiver", async () => {
      const r = receiver();
      const g: GroupState = {
        groupKey: '{}:{alertname="ComponentDown"}', routeKey: "{}", groupLabels: { alertname: "ComponentDown" }, createdAt: NOW, lastNotifiedAt: NOW + 30_000,
        alerts: { "0123456789abcdef": { fingerprint: "0123456789abcdef", status: "firing", labels: { alertname: "ComponentDown", severity: "critical" } as AlertLabels, annotations: { summary: "s", description: "d" }, path: "/", source: "status", startsAt: NOW, endsAt: null, notified: "firing" } },
      };
      await saveGroup(store, r, g, false, NOW);
      await saveGroup(store, r, { ...g, lastNotifiedAt: NOW + 60_000 }, true, NOW);
      expect(await loadGroups(stores.at(-1)!, r)).toEqual([{ ...g, lastNotifiedAt: NOW + 60_000 }]);
      expect(await loadGroups(store, receiver())).toEqual([]);
      await deleteGroup(store, r, g.groupKey);
      expect(await loadGroups(store, r)).toEqual([]);
    });
  });
}

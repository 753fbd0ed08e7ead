/**
 * The writer lease and its fencing, run against each backend: in-memory PGlite (lease.test.ts, one
 * store playing both instances) and the lab's PostgreSQL 15 with two dashboards' pools
 * (lease-postgres.lab.test.ts), where a takeover must wait for a fenced transaction in flight.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { acquireWriterLease, fencedTransaction, FencedError, readWriterLease, releaseWriterLease, renewWriterLease } from "./lease";
import { storeDb, type Store } from "./store";

const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function count(store: Store, subject: string): Promise<number> {
  const r = (await storeDb(store).execute(sql`select count(*)::int as n from transitions where subject = ${subject}`)) as unknown as { rows: { n: number }[] };
  return r.rows[0]!.n;
}

const write = (store: Store, epoch: number, subject: string, n = 1) =>
  fencedTransaction(store, epoch, (tx) =>
    tx.recordTransitions(Array.from({ length: n }, (_, i) => ({ at: NOW + i, subject, fromStatus: "UP" as const, toStatus: "DOWN" as const, reason: null, instanceId: "lease-test" }))),
  );

/** `open()` returns two stores on one database: instance A's and instance B's. */
export function describeLeaseContract(label: string, open: () => Promise<[Store, Store]>): void {
  describe(label, () => {
    let a: Store;
    let b: Store;
    beforeAll(async () => {
      [a, b] = await open();
    }, 60_000);
    afterAll(async () => {
      await Promise.all([a, b].filter((s, i, all) => all.indexOf(s) === i).map((s) => s.close()));
    });
    beforeEach(async () => {
      await storeDb(a).execute(sql`delete from writer_lease`);
      await storeDb(a).execute(sql`delete from transitions where instance_id = 'lease-test'`);
    });

    it("the first instance takes epoch 1; the second is told who holds it and until when", async () => {
      const first = await acquireWriterLease(a, { holder: "A", leaseMs: 5_000 });
      expect(first).toMatchObject({ acquired: true, lease: { epoch: 1, holder: "A" } });
      const second = await acquireWriterLease(b, { holder: "B", leaseMs: 5_000 });
      expect(second).toMatchObject({ acquired: false, lease: { epoch: 1, holder: "A" } });
      expect(second.lease.expiresAt - second.lease.dbNow).toBeGreaterThan(3_000);
      // The holder acquiring again is a renewal: same epoch.
      expect(await acquireWriterLease(a, { holder: "A", leaseMs: 5_000 })).toMatchObject({ acquired: true, lease: { epoch: 1 } });
    });

    it("an expired lease is taken over with a higher epoch; the old holder's renewal fails", async () => {
      await acquireWriterLease(a, { holder: "A", leaseMs: 150 });
      await sleep(250);
      const takeover = await acquireWriterLease(b, { holder: "B", leaseMs: 5_000 });
      expect(takeover).toMatchObject({ acquired: true, lease: { epoch: 2, holder: "B" } });
      expect(await renewWriterLease(a, { holder: "A", epoch: 1, leaseMs: 5_000 })).toBeNull();
      expect(await renewWriterLease(b, { holder: "B", epoch: 2, leaseMs: 5_000 })).toMatchObject({ epoch: 2, holder: "B" });
    });

    it("a writer that wakes up after a takeover cannot write a single row (counted)", async () => {
      const { lease: old } = await acquireWriterLease(a, { holder: "A", leaseMs: 150 });
      await write(a, old.epoch, "fenced:before", 3);
      expect(await count(a, "fenced:before")).toBe(3);
      await sleep(250); // A is "paused" past its lease
      const { lease: next } = await acquireWriterLease(b, { holder: "B", leaseMs: 5_000 });
      expect(next.epoch).toBe(old.epoch + 1);
      await expect(write(a, old.epoch, "fenced:after", 5)).rejects.toBeInstanceOf(FencedError);
      await expect(write(a, old.epoch, "fenced:after", 5)).rejects.toThrow(/fenced: this writer holds epoch 1, the lease is at epoch 2/);
      expect(await count(b, "fenced:after")).toBe(0);
      await write(b, next.epoch, "fenced:after", 2);
      expect(await count(b, "fenced:after")).toBe(2);
    });

    it("a write with no lease at all is refused too", async () => {
      await expect(write(a, 1, "fenced:none")).rejects.toThrow(/lease is at epoch none/);
      expect(await count(a, "fenced:none")).toBe(0);
    });

    it("a clean release lets the follower take over at once, with a new epoch", async () => {
      const { lease } = await acquireWriterLease(a, { holder: "A", leaseMs: 60_000 });
      expect(await releaseWriterLease(a, { holder: "A", epoch: lease.epoch })).toBe(true);
      expect(await acquireWriterLease(b, { holder: "B", leaseMs: 5_000 })).toMatchObject({ acquired: true, lease: { epoch: lease.epoch + 1 } });
      expect((await readWriterLease(a))?.holder).toBe("B");
    });

    it("bad input names the field", async () => {
      await expect(acquireWriterLease(a, { holder: "", leaseMs: 5_000 })).rejects.toThrow(/holder/);
      await expect(acquireWriterLease(a, { holder: "A", leaseMs: 5 })).rejects.toThrow(/leaseMs/);
    });
  });
}

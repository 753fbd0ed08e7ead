/**
 * The writer lease on a real PostgreSQL 15 shared by two dashboards (two pools): the PGlite contract,
 * and what only a real server with concurrent sessions shows: a takeover waits for the old writer's
 * transaction that passed the fence, so no row of the old epoch commits after the new epoch exists.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acquireWriterLease, fencedTransaction, FencedError } from "./lease";
import { describeLeaseContract } from "./lease-contract";
import { scratchDatabase } from "./scratch-database";
import { openStore, storeDb, type Store } from "./store";

const db = scratchDatabase("ha_lease_test");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeLeaseContract("writer lease on PostgreSQL 15, two dashboards", async () => [await openStore({ url: db.url(), poolMax: 3 }), await openStore({ url: db.url(), poolMax: 3 })]);

describe("a takeover during a fenced write", () => {
  let a: Store;
  let b: Store;
  beforeAll(async () => {
    a = await openStore({ url: db.url(), poolMax: 3 });
    b = await openStore({ url: db.url(), poolMax: 3 });
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it("waits for the old writer's transaction to end; the old writer's next one is refused", async () => {
    await storeDb(a).execute(sql`delete from writer_lease`);
    const { lease } = await acquireWriterLease(a, { holder: "A", leaseMs: 200 });
    const times: Record<string, number> = {};
    // A passes the fence, then is slow to commit: past its lease, while B tries to take over.
    const slow = fencedTransaction(a, lease.epoch, async (tx) => {
      await tx.recordTransitions([{ at: Date.now(), subject: "fenced:slow", fromStatus: "UP", toStatus: "DOWN", reason: null, instanceId: "lease-test" }]);
      await sleep(800);
      times.committing = Date.now();
    });
    await sleep(400);
    const takeover = await acquireWriterLease(b, { holder: "B", leaseMs: 5_000 });
    times.takenOver = Date.now();
    await slow;
    expect(takeover).toMatchObject({ acquired: true, lease: { epoch: lease.epoch + 1, holder: "B" } });
    // The takeover could only commit after A's transaction ended.
    expect(times.takenOver).toBeGreaterThanOrEqual(times.committing!);
    const n = (await storeDb(b).execute(sql`select count(*)::int as n from transitions where subject = 'fenced:slow'`)) as unknown as { rows: { n: number }[] };
    expect(n.rows[0]!.n).toBe(1);
    await expect(
      fencedTransaction(a, lease.epoch, (tx) => tx.recordTransitions([{ at: Date.now(), subject: "fenced:late", fromStatus: "UP", toStatus: "DOWN", reason: null, instanceId: "lease-test" }])),
    ).rejects.toBeInstanceOf(FencedError);
    const late = (await storeDb(b).execute(sql`select count(*)::int as n from transitions where subject = 'fenced:late'`)) as unknown as { rows: { n: number }[] };
    expect(late.rows[0]!.n).toBe(0);
  }, 30_000);
});

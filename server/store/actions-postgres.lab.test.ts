/**
 * The action store's rules on a real PostgreSQL 15 shared by two dashboards (two pools): the one-in-flight
 * lock and the compare-and-set hold across processes, and the audit log's trigger works there too.
 * Uses the lab's plain control-store server (`store-pg`) or HA_STORE_TEST_URL, in a scratch database.
 */
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { STORE_PG } from "@/e2e/lab/topology";
import { describeActionStoreContract } from "./actions-contract";
import { openStore } from "./store";

const url = process.env.HA_STORE_TEST_URL || STORE_PG.url;
const scratch = `ha_actions_test_${process.pid}_${Date.now().toString(36)}`;
let scratchUrl = "";

async function admin(q: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(q);
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  await admin(`create database ${scratch}`);
  const u = new URL(url);
  u.pathname = `/${scratch}`;
  scratchUrl = u.toString();
}, 30_000);

afterAll(async () => {
  await admin(`drop database if exists ${scratch} with (force)`);
}, 30_000);

describeActionStoreContract("action store on PostgreSQL 15, two dashboards sharing it", async () => {
  const first = await openStore({ url: scratchUrl, poolMax: 3 });
  const second = await openStore({ url: scratchUrl, poolMax: 3 });
  return [first, second];
});

/**
 * The delivery store's rules on a real PostgreSQL 15 shared by two dashboards (two pools): a claim
 * (`for update skip locked`) and a receiver's cursor lock hold across processes.
 * Uses the lab's plain control-store server (`store-pg`) or HA_STORE_TEST_URL, in a scratch database.
 */
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { STORE_PG } from "@/e2e/lab/topology";
import { describeNotificationStoreContract } from "./notifications-contract";
import { openStore } from "./store";

const url = process.env.HA_STORE_TEST_URL || STORE_PG.url;
const scratch = `ha_notifications_test_${process.pid}_${Date.now().toString(36)}`;
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

describeNotificationStoreContract("delivery store on PostgreSQL 15, two dashboards sharing it", async () => {
  const first = await openStore({ url: scratchUrl, poolMax: 3 });
  const second = await openStore({ url: scratchUrl, poolMax: 3 });
  return [first, second];
});

/**
 * The delivery store's rules on a real PostgreSQL 15 shared by two dashboards (two pools): a claim
 * (`for update skip locked`) and a receiver's cursor lock hold across processes.
 * Uses the lab's plain control-store server (`store-pg`) or HA_STORE_TEST_URL, in a scratch database.
 */
import { describeNotificationStoreContract } from "./notifications-contract";
import { openStore } from "./store";
import { scratchDatabase } from "./scratch-database";

const db = scratchDatabase("ha_notifications_test");

describeNotificationStoreContract("delivery store on PostgreSQL 15, two dashboards sharing it", async () => {
  const first = await openStore({ url: db.url(), poolMax: 3 });
  const second = await openStore({ url: db.url(), poolMax: 3 });
  return [first, second];
});

/**
 * The action store's rules on a real PostgreSQL 15 shared by two dashboards (two pools): the one-in-flight
 * lock and the compare-and-set hold across processes, and the audit log's trigger works there too.
 * Uses the lab's plain control-store server (`store-pg`) or HA_STORE_TEST_URL, in a scratch database.
 */
import { describeActionStoreContract } from "./actions-contract";
import { openStore } from "./store";
import { scratchDatabase } from "./scratch-database";

const db = scratchDatabase("ha_actions_test");

describeActionStoreContract("action store on PostgreSQL 15, two dashboards sharing it", async () => {
  const first = await openStore({ url: db.url(), poolMax: 3 });
  const second = await openStore({ url: db.url(), poolMax: 3 });
  return [first, second];
});

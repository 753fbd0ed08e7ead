/**
 * The same schema and behaviour on a real PostgreSQL 15: the lab's plain control-store server
 * (`store-pg`), or HA_STORE_TEST_URL when set. The URL's role needs CREATEDB: the suite works in a
 * scratch database it creates and drops, so it never touches existing data.
 */
import pg from "pg";
import { describe, expect, it } from "vitest";
import { describeStoreContract } from "./store-contract";
import { openStore } from "./store";
import { scratchDatabase } from "./scratch-database";

describe("control store on PostgreSQL 15", () => {
  const db = scratchDatabase("ha_store_test");

  it("several dashboards opening at once migrate once (advisory lock) and agree on the schema", async () => {
    const stores = await Promise.all([1, 2, 3].map(() => openStore({ url: db.url(), poolMax: 2 })));
    try {
      expect(stores.every((s) => s.backend === "postgres")).toBe(true);
      const check = new pg.Client({ connectionString: db.url() });
      await check.connect();
      try {
        const v = await check.query<{ v: number }>("select current_setting('server_version_num')::int as v");
        expect(v.rows[0]!.v).toBeGreaterThanOrEqual(140000); // date_bin() needs 14+
        const m = await check.query<{ n: number }>("select count(*)::int as n from drizzle.__drizzle_migrations");
        const journal = (await import("./migrations/meta/_journal.json")).default as { entries: unknown[] };
        expect(m.rows[0]!.n).toBe(journal.entries.length);
      } finally {
        await check.end();
      }
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  }, 60_000);

  describeStoreContract("contract", () => openStore({ url: db.url() }));
});

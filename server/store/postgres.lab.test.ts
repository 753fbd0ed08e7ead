/**
 * The same schema and behaviour on a real PostgreSQL 15: the lab's plain control-store server
 * (`store-pg`), or HA_STORE_TEST_URL when set. The URL's role needs CREATEDB: the suite works in a
 * scratch database it creates and drops, so it never touches existing data.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeStoreContract } from "./store-contract";
import { openStore } from "./store";
import { STORE_PG } from "@/e2e/lab/topology";

const url = process.env.HA_STORE_TEST_URL || STORE_PG.url;

describe("control store on PostgreSQL 15", () => {
  const scratch = `ha_store_test_${process.pid}_${Date.now().toString(36)}`;
  let scratchUrl = "";

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`create database ${scratch}`);
    } finally {
      await admin.end();
    }
    const u = new URL(url!);
    u.pathname = `/${scratch}`;
    scratchUrl = u.toString();
  }, 30_000);

  afterAll(async () => {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`drop database if exists ${scratch} with (force)`);
    } finally {
      await admin.end();
    }
  }, 30_000);

  it("several dashboards opening at once migrate once (advisory lock) and agree on the schema", async () => {
    const stores = await Promise.all([1, 2, 3].map(() => openStore({ url: scratchUrl, poolMax: 2 })));
    try {
      expect(stores.every((s) => s.backend === "postgres")).toBe(true);
      const check = new pg.Client({ connectionString: scratchUrl });
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

  describeStoreContract("contract", () => openStore({ url: scratchUrl }));
});

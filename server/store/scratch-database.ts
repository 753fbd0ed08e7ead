/**
 * A scratch database on the lab's plain control-store server (`store-pg`) or HA_STORE_TEST_URL, made
 * before the suite and dropped after it, so PostgreSQL store suites never see each other's rows.
 * Call at the top of a describe block (or a file); the URL is ready once beforeAll has run.
 */
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { STORE_PG } from "@/e2e/lab/topology";

export function scratchDatabase(prefix: string): { url: () => string } {
  const server = process.env.HA_STORE_TEST_URL || STORE_PG.url;
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}`;
  let url = "";
  const admin = async (q: string) => {
    const c = new pg.Client({ connectionString: server });
    await c.connect();
    try {
      await c.query(q);
    } finally {
      await c.end();
    }
  };
  beforeAll(async () => {
    await admin(`create database ${name}`);
    const u = new URL(server);
    u.pathname = `/${name}`;
    url = u.toString();
  }, 30_000);
  afterAll(async () => {
    await admin(`drop database if exists ${name} with (force)`);
  }, 30_000);
  return {
    url: () => {
      if (!url) throw new Error("the scratch database is made in beforeAll; ask for its URL inside a test or hook");
      return url;
    },
  };
}

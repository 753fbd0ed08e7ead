/** The Drizzle handle every query of the control store runs on, and small SQL helpers they share. */
import { sql, type SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";

export type Db = PgDatabase<PgQueryResultHKT>;

export const ts = (ms: number) => sql`${new Date(ms).toISOString()}::timestamptz`;

export async function rows<T>(db: Db, q: SQL): Promise<T[]> {
  const r = (await db.execute(q)) as unknown as { rows: T[] };
  return r.rows;
}

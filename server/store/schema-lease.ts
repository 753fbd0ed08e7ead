/**
 * The writer lease: one row naming the dashboard instance that may write, with an epoch that only
 * grows. Re-exported by ./schema.ts. No "server-only": drizzle-kit imports it outside Next.
 */
import { sql } from "drizzle-orm";
import { bigint, check, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: "date", precision: 3 });

export const writerLease = pgTable(
  "writer_lease",
  {
    /** Always 1: there is one lease. */
    id: integer("id").primaryKey(),
    /** Bumped by every takeover; a write carrying an older one is refused (ha_fence). */
    epoch: bigint("epoch", { mode: "number" }).notNull(),
    holder: text("holder").notNull(),
    acquiredAt: tstz("acquired_at").notNull(),
    renewedAt: tstz("renewed_at").notNull(),
    /** The database's clock, not an instance's: instances with skewed clocks still agree on expiry. */
    expiresAt: tstz("expires_at").notNull(),
  },
  (t) => [check("writer_lease_single_row_check", sql`${t.id} = 1`), check("writer_lease_epoch_check", sql`${t.epoch} > 0`)],
);

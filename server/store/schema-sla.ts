/**
 * SLA tables of the control store. Re-exported by ./schema.ts, from which drizzle-kit generates
 * the migrations. No "server-only": drizzle-kit and tsx import it outside Next.
 */
import { sql } from "drizzle-orm";
import { bigserial, check, index, pgTable, text, timestamp } from "drizzle-orm/pg-core";

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: "date", precision: 3 });

/**
 * Scheduled maintenance. Rows are never deleted: cancelling sets cancelled_at, so a report can
 * still show what was planned. A window cancelled after it began ends at cancelled_at.
 */
export const maintenanceWindows = pgTable(
  "maintenance_windows",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    /** Component ids, or ["*"] for every component. */
    components: text("components").array().notNull(),
    startsAt: tstz("starts_at").notNull(),
    endsAt: tstz("ends_at").notNull(),
    reason: text("reason").notNull(),
    createdAt: tstz("created_at").notNull(),
    /** Who scheduled it (a user name once sign-in exists; null before). */
    createdBy: text("created_by"),
    cancelledAt: tstz("cancelled_at"),
    cancelledBy: text("cancelled_by"),
  },
  (t) => [
    check("maintenance_windows_order_check", sql`${t.endsAt} > ${t.startsAt}`),
    check("maintenance_windows_components_check", sql`cardinality(${t.components}) > 0`),
    // Reports and the wall ask for windows overlapping a period: ends after its start.
    index("maintenance_windows_ends_at_idx").on(t.endsAt),
  ],
);

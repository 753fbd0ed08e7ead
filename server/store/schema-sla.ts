/**
 * SLA tables of the control store. Re-exported by ./schema.ts, from which drizzle-kit generates
 * the migrations. No "server-only": drizzle-kit and tsx import it outside Next.
 */
import { sql } from "drizzle-orm";
import { bigserial, check, index, pgTable, text, timestamp } from "drizzle-orm/pg-core";
// Relative on purpose: drizzle-kit loads this file without the tsconfig "@/" alias.
import { FAILURE_MODES } from "../../lib/rto";

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

/**
 * An operator's correction of an incident's failure mode, with the note saying why. Append-only: the
 * latest row for (component, suspected_at) wins, so the history of corrections stays readable.
 */
export const incidentClasses = pgTable(
  "incident_classes",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    componentId: text("component_id").notNull(),
    /** The incident: when it was first suspected (the `at` of the component transition that opened it). */
    suspectedAt: tstz("suspected_at").notNull(),
    mode: text("mode").notNull(),
    note: text("note").notNull(),
    correctedAt: tstz("corrected_at").notNull(),
    correctedBy: text("corrected_by").notNull(),
  },
  (t) => [
    check("incident_classes_mode_check", sql`${t.mode} in (${sql.raw(FAILURE_MODES.map((m) => `'${m}'`).join(", "))})`),
    index("incident_classes_incident_idx").on(t.componentId, t.suspectedAt, t.id),
  ],
);

import { z } from "zod";
import { STATUSES } from "@/lib/status";

/**
 * What counts against a component's SLA. Config-shaped (zod), so it can be read from the
 * topology file or the store later; the maths only takes the resolved `DowntimePolicy`.
 */

export const MaintenancePolicy = z.enum(["exclude", "count"]);
export type MaintenancePolicy = z.infer<typeof MaintenancePolicy>;

export const DowntimePolicy = z.strictObject({
  /** Statuses whose time is downtime. DEGRADED and STALE are reported apart either way. */
  countsAsDown: z.array(z.enum(STATUSES)).min(1, { error: "at least one status must count as down" }).default(["DOWN"]),
  /** "exclude": downtime inside a maintenance window does not count; "count": it does. */
  maintenance: MaintenancePolicy.default("count"),
});
export type DowntimePolicy = z.infer<typeof DowntimePolicy>;

export const DEFAULT_POLICY: DowntimePolicy = { countsAsDown: ["DOWN"], maintenance: "count" };

/** A partial policy without defaults: a field left out must not override the defaults' value. */
const PolicyOverride = z.strictObject({
  countsAsDown: z.array(z.enum(STATUSES)).min(1, { error: "at least one status must count as down" }).optional(),
  maintenance: MaintenancePolicy.optional(),
});

/** Defaults for every component, then per-component overrides (field by field). */
export const DowntimePolicies = z.strictObject({
  default: PolicyOverride.optional(),
  components: z.record(z.string(), PolicyOverride).optional(),
});
export type DowntimePolicies = z.infer<typeof DowntimePolicies>;

export function resolvePolicy(policies: DowntimePolicies | undefined, componentId: string): DowntimePolicy {
  return { ...DEFAULT_POLICY, ...stripUndefined(policies?.default), ...stripUndefined(policies?.components?.[componentId]) };
}

export const MaintenanceWindow = z
  .strictObject({
    /** Component ids, or "*" for every component. */
    components: z.array(z.string().min(1)).min(1, { error: "name at least one component (or \"*\")" }),
    start: z.number(),
    end: z.number(),
    reason: z.string().max(2000),
  })
  .refine((w) => w.end > w.start, { error: "a maintenance window must end after it starts", path: ["end"] });
export type MaintenanceWindow = z.infer<typeof MaintenanceWindow>;

export const appliesTo = (w: Pick<MaintenanceWindow, "components">, componentId: string | undefined) =>
  w.components.includes("*") || (componentId !== undefined && w.components.includes(componentId));

function stripUndefined<T extends object>(o: T | undefined): Partial<T> {
  if (!o) return {};
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

import type { MaintenanceWindow } from "@/server/sla";
import type { StoredMaintenanceWindow } from "@/server/store/sla";
import { UPCOMING_MS } from "./subjects";

/** Stored windows as the maths takes them: the effective end, cancelled-before-start ones dropped. */
export function coreWindows(stored: readonly StoredMaintenanceWindow[]): MaintenanceWindow[] {
  return stored.filter((w) => w.effectiveEnd > w.start).map((w) => ({ components: w.components, start: w.start, end: w.effectiveEnd, reason: w.reason }));
}

/** A window on any component is a window of the system (the system runs on every component). */
export const systemWindows = (ws: readonly MaintenanceWindow[]): MaintenanceWindow[] => ws.map((w) => ({ ...w, components: ["*"] }));

export interface MaintenanceView extends StoredMaintenanceWindow {
  state: "upcoming" | "active" | "over" | "cancelled";
}

export function maintenanceState(w: StoredMaintenanceWindow, now: number): MaintenanceView["state"] {
  if (w.cancelledAt !== null && w.cancelledAt <= w.start) return "cancelled";
  if (now < w.start) return "upcoming";
  return now < w.effectiveEnd ? "active" : "over";
}

export const withState = (w: StoredMaintenanceWindow, now: number): MaintenanceView => ({ ...w, state: maintenanceState(w, now) });


/** Active windows, then those starting within UPCOMING_MS, soonest first. */
export function currentMaintenance(stored: readonly StoredMaintenanceWindow[], now: number): MaintenanceView[] {
  return stored
    .map((w) => withState(w, now))
    .filter((w) => w.state === "active" || (w.state === "upcoming" && w.start - now <= UPCOMING_MS))
    .sort((a, b) => (a.state === b.state ? a.start - b.start : a.state === "active" ? -1 : 1));
}

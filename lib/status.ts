/** The one status vocabulary shared by server, store and UI. */
export const STATUSES = ["UP", "DOWN", "DEGRADED", "STALE", "NO_DATA"] as const;
export type Status = (typeof STATUSES)[number];

/** The chaos runner's incidents, in the shape the SLA report's RTO scoreboard takes. */
import type { FailureMode } from "./catalogue";
import type { Row } from "./measure";

export interface ChaosIncident {
  mode: FailureMode;
  suspectedAt: number | null;
  confirmedAt: number | null;
  recoveredAt: number | null;
}

export function incidentsOf(runs: { mode: FailureMode; injectAt: number; row: Row }[]): ChaosIncident[] {
  const at = (t: number, ms: number | null) => (ms === null ? null : t + ms);
  return runs.map((r) => ({ mode: r.mode, suspectedAt: at(r.injectAt, r.row.suspectedMs), confirmedAt: at(r.injectAt, r.row.confirmedMs), recoveredAt: at(r.injectAt, r.row.recoveredMs) }));
}

/** The scoreboard as text; null until the SLA model has one to feed. */
export function rtoScoreboard(runs: { mode: FailureMode; injectAt: number; row: Row }[]): string | null {
  return incidentsOf(runs).length ? null : null;
}

/** The chaos runner's incidents on the SLA report's RTO scoreboard (the same pure function, the same targets). */
import { rtoScoreboard as scoreboard, type RtoIncident } from "../../server/sla/rto";
import type { FailureMode } from "../../lib/rto";
import { fmtS, type Row } from "./measure";

export interface ChaosRun {
  mode: FailureMode | null;
  injectAt: number;
  row: Row;
}

/**
 * One incident per scenario that the dashboard suspected: suspected and confirmed as the runner saw them;
 * recovered when the service was back (the first phase's verdict gone: a failover done, or the undo taken
 * effect), so a recovery includes the time the runner held the fault where nothing healed it before.
 */
export function incidentsOf(runs: readonly ChaosRun[]): RtoIncident[] {
  return runs.flatMap((r) => {
    if (r.row.suspectedMs === null) return [];
    const at = (ms: number | null) => (ms === null ? null : r.injectAt + ms);
    return [{ mode: r.mode, suspectedAt: r.injectAt + r.row.suspectedMs, confirmedAt: at(r.row.confirmedMs), recoveredAt: at(r.row.restoredMs ?? r.row.recoveredMs) }];
  });
}

/** The scoreboard as a Markdown table; null when no scenario made an incident. */
export function rtoTable(runs: readonly ChaosRun[], now: number): string | null {
  const incidents = incidentsOf(runs);
  if (incidents.length === 0) return null;
  const { rows } = scoreboard(incidents, now);
  const head = "| failure mode | target | incidents | detection p50 / max | recovery p50 / max | verdict |\n| --- | --- | --- | --- | --- | --- |";
  const body = rows.map(
    (r) =>
      `| ${r.label} | ${fmtS(r.targetMinMs)}–${fmtS(r.targetMaxMs)} | ${r.incidents} | ${fmtS(r.detection.p50Ms)} / ${fmtS(r.detection.maxMs)} | ${fmtS(r.recovery.p50Ms)} / ${fmtS(r.recovery.maxMs)} | ${r.verdict} |`,
  );
  return [head, ...body].join("\n");
}

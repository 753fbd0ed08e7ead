/**
 * A report as CSV (RFC 4180: CRLF, quotes doubled), one table per file: the summary per component,
 * the incidents, the maintenance windows, the RTO scoreboard per failure mode, or the RTO incidents
 * with their class. Pure. Times are ISO 8601 UTC, durations seconds with
 * millisecond precision, availabilities percent; empty cells where there is no figure.
 */
import { csvLine, type CsvValue } from "@/lib/csv";
import type { ReportIncident, SlaReport } from "./model";

export const CSV_TABLES = ["summary", "incidents", "maintenance", "rto", "rto_incidents"] as const;
export type CsvTable = (typeof CSV_TABLES)[number];

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const sec = (ms: number | null) => (ms === null ? null : Math.round(ms) / 1000);
const pct = (p: number | null, digits = 6) => (p === null ? null : Number(p.toFixed(digits)));

export function reportCsv(r: SlaReport, table: CsvTable): string {
  const rows: string[] = [];
  if (table === "summary") {
    rows.push(
      csvLine([
        "period_from", "period_to", "id", "name", "target_percent", "maintenance_policy", "counts_as_down",
        "achieved_percent", "achieved_pessimistic_percent", "met", "downtime_s", "allowed_s", "budget_used_percent",
        "downtime_including_maintenance_s", "achieved_including_maintenance_percent",
        "downtime_excluding_maintenance_s", "achieved_excluding_maintenance_percent",
        "unknown_s", "no_data_s", "degraded_s", "stale_s", "maintenance_s", "incidents",
      ]),
    );
    for (const x of r.rows) {
      rows.push(
        csvLine([
          iso(r.period.from), iso(r.period.to), x.id, x.name, x.targetPercent, x.maintenancePolicy, x.countsAsDown.join(" "),
          pct(x.counted.knownPercent), pct(x.counted.pessimisticPercent), x.met, sec(x.counted.downMs), sec(x.allowedMs),
          x.counted.budgetUsedShare === null ? null : pct(100 * x.counted.budgetUsedShare, 3),
          sec(x.includingMaintenance.downMs), pct(x.includingMaintenance.knownPercent),
          sec(x.excludingMaintenance.downMs), pct(x.excludingMaintenance.knownPercent),
          sec(x.unknownMs), sec(x.noDataMs), sec(x.degradedMs), sec(x.staleMs), sec(x.maintenanceMs), x.includingMaintenance.incidents,
        ]),
      );
    }
  } else if (table === "incidents") {
    rows.push(csvLine(["component_id", "component", "start", "end", "open", "duration_s", "in_maintenance_s", "statuses", "cause", "recovery", "before", "after", "failover_id", "failover_kind", "failover_target", "failover_state"]));
    for (const i of r.incidents) rows.push(csvLine(incidentCells(i)));
  } else if (table === "rto") {
    rows.push(
      csvLine([
        "period_from", "period_to", "failure_mode", "label", "detection_method", "target_min_s", "target_max_s", "incidents", "open",
        "detection_count", "detection_p50_s", "detection_max_s", "recovery_count", "recovery_p50_s", "recovery_max_s", "longest_open_s", "verdict",
      ]),
    );
    for (const x of r.rto.rows) {
      rows.push(
        csvLine([
          iso(r.period.from), iso(r.period.to), x.mode, x.label, x.detectionMethod, sec(x.targetMinMs), sec(x.targetMaxMs), x.incidents, x.open,
          x.detection.count, sec(x.detection.p50Ms), sec(x.detection.maxMs), x.recovery.count, sec(x.recovery.p50Ms), sec(x.recovery.maxMs), sec(x.longestOpenMs), x.verdict,
        ]),
      );
    }
  } else if (table === "rto_incidents") {
    rows.push(csvLine(["component_id", "component", "suspected_at", "confirmed_at", "recovered_at", "open", "worst", "detection_s", "recovery_s", "failure_mode", "automatic_mode", "evidence", "corrected_by", "corrected_at", "correction_note", "cause"]));
    for (const i of r.rto.incidents) {
      rows.push(
        csvLine([
          i.componentId, i.componentName, iso(i.suspectedAt), iso(i.confirmedAt), iso(i.recoveredAt), i.open, i.worst, sec(i.detectionMs), sec(i.recoveryMs),
          i.mode, i.automatic.mode, i.automatic.evidence, i.correction?.by ?? null, iso(i.correction?.at ?? null), i.correction?.note ?? null, i.cause,
        ]),
      );
    }
  } else {
    rows.push(csvLine(["id", "components", "start", "end", "effective_end", "state", "reason", "created_by", "cancelled_at", "cancelled_by"]));
    for (const w of r.maintenance) {
      rows.push(csvLine([w.id, w.components.join(" "), iso(w.start), iso(w.end), iso(w.effectiveEnd), w.state, w.reason, w.createdBy, iso(w.cancelledAt), w.cancelledBy]));
    }
  }
  return rows.join("\r\n") + "\r\n";
}

const neighbour = (n: ReportIncident["before"]) => (n ? `${n.status} ${sec(n.ms)}s` : null);

function incidentCells(i: ReportIncident): CsvValue[] {
  return [i.componentId, i.componentName, iso(i.start), iso(i.end), i.open, sec(i.durationMs), sec(i.maintenanceMs), i.statuses.join(" "), i.cause, i.recovery, neighbour(i.before), neighbour(i.after), i.failoverId, i.failover?.kind ?? null, i.failover?.targetId ?? null, i.failover?.state ?? null];
}

/** "sla-2026-11-summary.csv" */
export function csvFileName(r: SlaReport, table: CsvTable): string {
  return `sla-${r.period.label.replace(/[^0-9A-Za-z-]+/g, "_")}-${table}.csv`;
}

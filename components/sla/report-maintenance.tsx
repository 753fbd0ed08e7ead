import { formatInstant } from "@/lib/sla";
import type { RouterOutputs } from "@/lib/trpc/types";
import { rowClass, tableClass, thClass, theadClass } from "@/components/ui/table-classes";

type Window = RouterOutputs["sla"]["report"]["maintenance"][number];

/** The maintenance windows that touched a report's period. */
export function ReportMaintenance({ windows, timeZone }: { windows: Window[]; timeZone: string }) {
  return (
    <section className="space-y-2" aria-labelledby="sla-report-maint-title">
      <h2 id="sla-report-maint-title" className="text-sm font-semibold tracking-wider text-slate-400 uppercase">
        Maintenance windows ({windows.length})
      </h2>
      {windows.length === 0 ? (
        <p className="text-sm text-slate-400">No maintenance window in this period.</p>
      ) : (
        <table className={tableClass} data-testid="sla-report-maintenance">
          <thead className={theadClass}>
            <tr>
              <th className={thClass}>Start</th>
              <th className={thClass}>End</th>
              <th className={thClass}>Components</th>
              <th className={thClass}>Reason</th>
              <th className="py-1 font-medium">State</th>
            </tr>
          </thead>
          <tbody>
            {windows.map((w) => (
              <tr key={w.id} className={rowClass}>
                <td className="py-1 pr-4 tabular-nums">{formatInstant(w.start, timeZone)}</td>
                <td className="py-1 pr-4 tabular-nums">{formatInstant(w.effectiveEnd, timeZone)}</td>
                <td className="py-1 pr-4">{w.components.join(", ")}</td>
                <td className="py-1 pr-4">{w.reason}</td>
                <td className="py-1">{w.state}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

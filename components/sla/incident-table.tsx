import Link from "next/link";
import { ACTION_KIND_LABEL } from "@/lib/actions";
import { formatBudget, formatInstant } from "@/lib/sla";
import type { RouterOutputs } from "@/lib/trpc/types";
import { tableClass, theadClass } from "@/components/ui/table-classes";

type Incident = RouterOutputs["sla"]["report"]["incidents"][number];

const neighbour = (n: Incident["before"]) =>
  n === null ? null : n.status === "UNKNOWN" ? `monitoring gap (unknown ${formatBudget(n.ms)})` : n.status === "NO_DATA" ? `no verdict yet (${formatBudget(n.ms)})` : `${n.status}`;

function FailoverCell({ f }: { f: Incident["failover"] }) {
  if (f === null) return <>—</>;
  return (
    <Link href={`/actions/${f.id}`} className="text-sky-300 underline-offset-2 hover:underline print:text-inherit" data-testid={`sla-incident-failover-${f.id}`}>
      #{f.id} {ACTION_KIND_LABEL[f.kind]} on {f.targetId} ({f.state})
    </Link>
  );
}

/** Every incident of the period: when, how long, why, what the timeline showed around it, and the failover during it. */
export function IncidentTable({ incidents, timeZone }: { incidents: Incident[]; timeZone: string }) {
  if (incidents.length === 0) return <p className="text-sm text-slate-400">No downtime recorded in this period.</p>;
  return (
    <div className="overflow-x-auto print:overflow-visible">
      <table className={tableClass} data-testid="sla-incidents">
        <thead className={theadClass}>
          <tr>
            <th className="py-1 pr-3 font-medium">Component</th>
            <th className="py-1 pr-3 font-medium">Start</th>
            <th className="py-1 pr-3 font-medium">End</th>
            <th className="py-1 pr-3 font-medium">Duration</th>
            <th className="py-1 pr-3 font-medium">Cause</th>
            <th className="py-1 pr-3 font-medium">Failover</th>
            <th className="py-1 font-medium">Notes</th>
          </tr>
        </thead>
        <tbody>
          {incidents.map((i) => {
            const notes = [
              i.atPeriodStart && "began before the period",
              i.atPeriodEnd && "continues after the period",
              i.maintenanceMs > 0 && `${formatBudget(i.maintenanceMs)} inside a maintenance window`,
              i.before && i.before.status !== "UP" && `before: ${neighbour(i.before)}`,
              i.after && i.after.status !== "UP" && `after: ${neighbour(i.after)}`,
              i.recovery && `recovered: ${i.recovery}`,
              i.statuses.length > 1 && `statuses ${i.statuses.join(", ")}`,
            ].filter(Boolean);
            return (
              <tr key={`${i.componentId}-${i.start}`} className="border-t border-slate-800 align-top" data-testid={`sla-incident-${i.componentId}`} data-duration-ms={i.durationMs} data-open={i.open}>
                <td className="py-1 pr-3 text-slate-100">{i.componentName}</td>
                <td className="py-1 pr-3 whitespace-nowrap tabular-nums">{formatInstant(i.start, timeZone)}</td>
                <td className="py-1 pr-3 whitespace-nowrap tabular-nums">{i.end === null ? <span className="font-semibold text-red-300">ongoing</span> : formatInstant(i.end, timeZone)}</td>
                <td className="py-1 pr-3 tabular-nums">{formatBudget(i.durationMs)}</td>
                <td className="py-1 pr-3 text-slate-300">{i.cause ?? "—"}</td>
                <td className="py-1 pr-3 text-slate-300">
                  <FailoverCell f={i.failover} />
                </td>
                <td className="py-1 text-xs text-slate-400">{notes.join("; ") || "—"}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

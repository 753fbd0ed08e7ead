import type { ClusterView } from "@/lib/snapshot";
import { rowClass, theadClass } from "@/components/ui/table-classes";

/** A byte position as PostgreSQL writes an LSN (hi/lo in hex). */
function lsnText(n: number | null): string {
  if (n === null) return "—";
  return `${Math.floor(n / 2 ** 32).toString(16).toUpperCase()}/${(n % 2 ** 32).toString(16).toUpperCase()}`;
}

function when(at: string | null): string {
  if (!at) return "—";
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? at : d.toLocaleString("en-GB", { hour12: false });
}

const th = "px-3 py-2 font-medium";
const td = "px-3 py-2 align-top";

/** Patroni's /history: every timeline switch (failover or switchover), newest first. */
export function TimelineHistory({ history, current }: { history: ClusterView["history"]; current: number | null }) {
  if (history.length === 0) return <p className="text-sm text-slate-400">No timeline switches recorded (or Patroni&apos;s /history did not answer).</p>;
  const rows = [...history].reverse();
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-800 bg-slate-900/60">
      <table className="w-full text-left text-sm tabular-nums" data-testid="timeline-history">
        <caption className="sr-only">Timeline switches, newest first</caption>
        <thead className={theadClass}>
          <tr>
            <th scope="col" className={th}>Switched at</th>
            <th scope="col" className={th}>Timeline</th>
            <th scope="col" className={th}>Promoted</th>
            <th scope="col" className={th}>Old timeline ended at LSN</th>
            <th scope="col" className={th}>Reason</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((h) => (
            <tr key={h.timeline} className={rowClass}>
              <td className={td}>{when(h.at)}</td>
              <th scope="row" className={`${td} font-normal`}>
                {h.timeline} → {h.timeline + 1}
                {current === h.timeline + 1 && <span className="ml-2 text-xs text-emerald-300">(current)</span>}
              </th>
              <td className={`${td} font-mono`}>{h.leader ?? "—"}</td>
              <td className={`${td} font-mono text-xs`}>{lsnText(h.lsn)}</td>
              <td className={`${td} text-slate-300`}>{h.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

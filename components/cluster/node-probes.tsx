import type { UnitSnapshot } from "@/lib/snapshot";
import { formatMs, formatTime } from "@/lib/format";
import { StatusBadge } from "@/components/ui/status-badge";
import { SuspectPill } from "@/components/ui/suspect-pill";
import { theadClass } from "@/components/ui/table-classes";

const th = "px-3 py-2 font-medium";
const td = "px-3 py-2 align-top";

/** Each probe behind the cluster (Patroni REST, each node's PostgreSQL): status, why, pending change, latency. */
export function NodeProbes({ units }: { units: UnitSnapshot[] }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-800 bg-slate-900/60">
      <table className="w-full text-left text-sm tabular-nums" data-testid="node-probes">
        <caption className="sr-only">Probes of this cluster</caption>
        <thead className={theadClass}>
          <tr>
            <th scope="col" className={th}>Probe</th>
            <th scope="col" className={th}>Status</th>
            <th scope="col" className={th}>Why</th>
            <th scope="col" className={`${th} text-right`}>Latency</th>
            <th scope="col" className={th}>Last probe</th>
          </tr>
        </thead>
        <tbody>
          {units.map((u) => (
            <tr key={u.key} id={u.node ? `node-${u.node}` : undefined} className="scroll-mt-4 border-t border-slate-800 target:bg-sky-950/40">
              <th scope="row" className={`${td} font-normal`}>
                {u.kind === "patroni" ? "Patroni REST (cluster view)" : `PostgreSQL on ${u.node}`}
              </th>
              <td className={`${td} whitespace-nowrap`}>
                <StatusBadge status={u.status} />
                {u.suspect && (
                  <span className="ml-1">
                    <SuspectPill suspect={u.suspect} />
                  </span>
                )}
              </td>
              <td className={`${td} text-slate-300`}>{u.reason ?? "—"}</td>
              <td className={`${td} text-right`}>{formatMs(u.latencyMs)}</td>
              <td className={td}>{u.lastProbeAt ? formatTime(new Date(u.lastProbeAt)) : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

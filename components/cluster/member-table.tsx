import type { ClusterView } from "@/lib/snapshot";
import { MemberRow } from "./member-row";
import { theadClass } from "@/components/ui/table-classes";

const th = "px-2 py-2 font-medium whitespace-nowrap";

/** Members: Patroni's view (role, state, DCS lag) beside each node's own PostgreSQL and the primary's replication view. */
export function MemberTable({ cluster }: { cluster: ClusterView }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-800 bg-slate-900/60">
      <table className="w-full text-left text-sm tabular-nums" data-testid="member-table">
        <caption className="sr-only">Members of {cluster.name}</caption>
        <thead className={theadClass}>
          <tr>
            <th scope="col" className={th}>Member / host</th>
            <th scope="col" className={th}>Role</th>
            <th scope="col" className={th}>Patroni state</th>
            <th scope="col" className={th}>Probe</th>
            <th scope="col" className={th}>PostgreSQL itself</th>
            <th scope="col" className={th}>Timeline</th>
            <th scope="col" className={th}>Replication</th>
            <th scope="col" className={`${th} text-right`}>Lag bytes</th>
            <th scope="col" className={`${th} text-right`}>Lag seconds</th>
            <th scope="col" className={`${th} text-right`}>
              Patroni (DCS) lag<sup aria-hidden="true">*</sup>
            </th>
          </tr>
        </thead>
        <tbody>
          {cluster.members.map((m) => (
            <MemberRow key={m.name} m={m} cluster={cluster} />
          ))}
        </tbody>
      </table>
      <p className="border-t border-slate-800 px-3 py-2 text-xs text-slate-400">
        Lag bytes: the primary&apos;s current WAL position minus the standby&apos;s replay position (pg_stat_replication). Lag seconds: the
        standby&apos;s own replay delay (0 when it has replayed all it received). <span aria-hidden="true">*</span>Patroni (DCS) lag: what
        Patroni last wrote to the DCS; it can show lag that is not there (stale under load), so the two PostgreSQL figures are the ones to
        trust.
      </p>
    </div>
  );
}

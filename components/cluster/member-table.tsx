import type { ClusterView } from "@/lib/snapshot";
import { formatBytes } from "@/lib/format";
import { patroniStateTone } from "@/lib/tone";
import { formatSeconds } from "@/components/charts/lag-format";
import { StatusBadge } from "@/components/ui/status-badge";
import { TonePill } from "@/components/ui/tone-pill";
import { RoleLabel } from "./role-label";
import { theadClass } from "@/components/ui/table-classes";

type Member = ClusterView["members"][number];

const th = "px-2 py-2 font-medium whitespace-nowrap";
const td = "px-2 py-2 align-top";

/** What PostgreSQL itself says (pg_is_in_recovery), flagged when it contradicts Patroni's role. */
function PostgresView({ m }: { m: Member }) {
  if (m.inRecovery === null) return <TonePill tone="unknown">no answer</TonePill>;
  const isLeader = m.role === "leader";
  if (isLeader && m.inRecovery) return <TonePill tone="warn">in recovery, yet Patroni leader</TonePill>;
  if (!isLeader && !m.inRecovery) return <TonePill tone="bad">primary, yet not Patroni leader</TonePill>;
  return <span className="whitespace-nowrap">{m.inRecovery ? "in recovery" : "primary (r/w)"}</span>;
}

function patroniLag(v: Member["patroniLagBytes"]) {
  if (v === null) return "—";
  if (v === "unknown") return "unknown";
  return formatBytes(v);
}

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
          {cluster.members.map((m) => {
            const isLeader = m.name === cluster.leader;
            const over = m.lagSeconds !== null && m.lagSeconds > cluster.maxLagSeconds;
            const tlBehind = m.timeline !== null && cluster.timeline !== null && m.timeline !== cluster.timeline;
            return (
              <tr key={m.name} className={`border-t border-slate-800 ${isLeader ? "bg-emerald-950/30" : ""}`} data-testid={`member-${m.name}`} data-role={m.role}>
                <th scope="row" className={`${td} font-mono font-medium`}>
                  <a href={`#node-${m.name}`} className="text-sky-300 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-sky-400">
                    {m.name}
                  </a>
                  <div className="text-xs font-normal whitespace-nowrap text-slate-400">{m.host ? `${m.host}:${m.port ?? ""}` : "host unknown"}</div>
                </th>
                <td className={`${td} whitespace-nowrap`} data-testid={`member-${m.name}-role`}>
                  <RoleLabel role={m.role} />
                </td>
                <td className={td}>
                  <TonePill tone={patroniStateTone(m.state)}>{m.state || "unknown"}</TonePill>
                </td>
                <td className={td}>
                  <StatusBadge status={m.status} />
                </td>
                <td className={td}>
                  <PostgresView m={m} />
                </td>
                <td className={td}>
                  {m.timeline ?? "—"}
                  {tlBehind && (
                    <span className="ml-1">
                      <TonePill tone="warn">cluster on {cluster.timeline}</TonePill>
                    </span>
                  )}
                </td>
                <td className={td}>
                  {isLeader ? (
                    <span className="text-slate-400">sends WAL</span>
                  ) : (
                    <>
                      {m.replicationState ?? "—"}
                      {m.syncState && <span className="ml-1 text-xs text-slate-400">({m.syncState})</span>}
                    </>
                  )}
                </td>
                <td className={`${td} text-right`}>{isLeader ? "—" : formatBytes(m.lagBytes)}</td>
                <td className={`${td} text-right`}>
                  {isLeader ? "—" : formatSeconds(m.lagSeconds)}
                  {over && (
                    <div className="mt-1">
                      <TonePill tone="bad">over {cluster.maxLagSeconds} s</TonePill>
                    </div>
                  )}
                </td>
                <td className={`${td} text-right text-slate-300`}>{isLeader ? "—" : patroniLag(m.patroniLagBytes)}</td>
              </tr>
            );
          })}
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

import { formatBytes } from "@/lib/format";
import type { ClusterView } from "@/lib/snapshot";
import { patroniStateTone } from "@/lib/tone";
import { formatSeconds } from "@/components/charts/lag-format";
import { StatusBadge } from "@/components/ui/status-badge";
import { TonePill } from "@/components/ui/tone-pill";
import { RoleLabel } from "./role-label";

type Member = ClusterView["members"][number];

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

/** One member: Patroni's role and state, the probe, PostgreSQL's own view, replication and lag. */
export function MemberRow({ m, cluster }: { m: Member; cluster: ClusterView }) {
  const isLeader = m.name === cluster.leader;
  const over = m.lagSeconds !== null && m.lagSeconds > cluster.maxLagSeconds;
  const tlBehind = m.timeline !== null && cluster.timeline !== null && m.timeline !== cluster.timeline;
  return (
    <tr className={`border-t border-slate-800 ${isLeader ? "bg-emerald-950/30" : ""}`} data-testid={`member-${m.name}`} data-role={m.role}>
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
}

import { formatBytes, formatMs } from "@/lib/format";
import type { TypedUnit } from "@/lib/unit-data";
import { StatusBadge } from "@/components/ui/status-badge";
import { SuspectPill } from "@/components/ui/suspect-pill";
import { theadClass } from "@/components/ui/table-classes";
import { TonePill } from "@/components/ui/tone-pill";

const th = "px-3 py-2 font-medium";
const td = "px-3 py-2 align-top";

/**
 * The cluster's DCS (etcd) as the etcd collector sees it: each member's health, the leader it
 * follows, raft term and index, DB size. Only host:port of each endpoint reaches the page.
 */
export function DcsSection({ unit }: { unit: TypedUnit<"etcd"> }) {
  const d = unit.data;
  return (
    <section aria-labelledby="dcs" className="space-y-3" data-testid="cluster-dcs" data-status={unit.status}>
      <h2 id="dcs" className="flex flex-wrap items-center gap-2 text-sm font-semibold tracking-wider text-slate-400 uppercase">
        DCS (etcd) <StatusBadge status={unit.status} />
        {unit.suspect && <SuspectPill suspect={unit.suspect} />}
        {d && (
          <span className="font-normal tracking-normal normal-case">
            {d.healthy} of {d.voters} members healthy, quorum {d.quorum}; leader {d.leader ?? "none"}; raft term {d.raftTerm ?? "—"}
          </span>
        )}
      </h2>
      {unit.reason && <p className="text-sm text-slate-300">{unit.reason}</p>}
      <div className="overflow-x-auto rounded-lg border border-slate-800 bg-slate-900/60">
        <table className="w-full text-left text-sm tabular-nums">
          <caption className="sr-only">etcd members</caption>
          <thead className={theadClass}>
            <tr>
              <th scope="col" className={th}>Member</th>
              <th scope="col" className={th}>Endpoint</th>
              <th scope="col" className={th}>Health</th>
              <th scope="col" className={th}>Follows leader</th>
              <th scope="col" className={`${th} text-right`}>Raft term</th>
              <th scope="col" className={`${th} text-right`}>Raft index</th>
              <th scope="col" className={`${th} text-right`}>DB size</th>
              <th scope="col" className={`${th} text-right`}>Latency</th>
              <th scope="col" className={th}>Errors</th>
            </tr>
          </thead>
          <tbody>
            {(d?.endpoints ?? []).map((e) => (
              <tr key={e.endpoint} className="border-t border-slate-800" data-testid={`dcs-member-${e.member ?? e.endpoint}`}>
                <th scope="row" className={`${td} font-semibold`}>
                  {e.member ?? "—"}
                  {e.member !== null && e.member === d?.leader && <span className="ml-1 font-normal text-slate-400">(leader)</span>}
                </th>
                <td className={td}>{e.endpoint}</td>
                <td className={td}>
                  {e.error !== null ? (
                    <TonePill tone="bad">no answer</TonePill>
                  ) : e.healthy ? (
                    <TonePill tone="good">healthy</TonePill>
                  ) : (
                    <TonePill tone="bad">unhealthy</TonePill>
                  )}
                </td>
                <td className={td}>{e.leader ?? "—"}</td>
                <td className={`${td} text-right`}>{e.raftTerm ?? "—"}</td>
                <td className={`${td} text-right`}>{e.raftIndex ?? "—"}</td>
                <td className={`${td} text-right`}>{formatBytes(e.dbSizeBytes)}</td>
                <td className={`${td} text-right`}>{formatMs(e.latencyMs)}</td>
                <td className={`${td} text-slate-300`}>{[...(e.error !== null ? [e.error] : []), ...e.errors].join("; ") || "—"}</td>
              </tr>
            ))}
            {!d && (
              <tr className="border-t border-slate-800">
                <td className={td} colSpan={9}>
                  No answer from the DCS yet.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}

import { memo } from "react";
import { formatBytes } from "@/lib/format";
import type { ClusterModel, MemberRowModel } from "./cluster-model";
import { Since } from "./time-text";
import { ToneWord, SuspectChip, WallStatus } from "./wall-status";
import { rowClass } from "@/components/ui/table-classes";

function lagSeconds(s: number | null): string {
  if (s === null) return "—";
  return s < 10 ? `${s.toFixed(1)} s` : `${Math.round(s)} s`;
}

const ROLE_CAPTION: Record<string, string> = { leader: "Leader", sync: "Sync", replica: "Async" };

function MemberRow({ clusterId, kind, member }: { clusterId: string; kind: "leader" | "sync" | "replica"; member: MemberRowModel }) {
  const testId = kind === "replica" ? `wall-cluster-${clusterId}-replica-${member.name}` : `wall-cluster-${clusterId}-${kind}`;
  // Only what is out of the ordinary: a leader not "running", a standby not "streaming".
  const state = member.role === "absent" ? "absent" : kind === "leader" ? member.state : (member.replicationState ?? member.state);
  const note = state === (kind === "leader" ? "running" : "streaming") ? "" : state || "state unknown";
  return (
    <tr className="border-t border-slate-800 first:border-t-0 [&>*]:align-baseline" data-testid={`wall-member-${clusterId}-${member.name}`}>
      <th scope="row" className="py-[0.1rem] pr-[0.6rem] text-left text-[0.85rem] font-semibold tracking-[0.12em] text-slate-400 uppercase">
        {ROLE_CAPTION[kind]}
      </th>
      <td className="truncate py-[0.1rem] pr-[0.6rem]">
        <span className={`font-bold text-slate-50 ${kind === "leader" ? "text-[1.9rem] leading-tight" : "text-[1.4rem] leading-snug"}`} data-testid={testId}>
          {member.name}
        </span>
        {note && <span className="ml-[0.5rem] text-[0.95rem] font-semibold text-amber-200">{note}</span>}
      </td>
      <td className="py-[0.1rem] pr-[0.6rem] text-right text-[1.2rem] text-slate-100 tabular-nums">{kind === "leader" ? "" : formatBytes(member.lagBytes)}</td>
      <td className="py-[0.1rem] pr-[0.6rem] text-right text-[1.2rem] tabular-nums">
        {kind === "leader" ? "" : member.lagging ? <ToneWord tone="warn">{lagSeconds(member.lagSeconds)}</ToneWord> : <span className="text-slate-100">{lagSeconds(member.lagSeconds)}</span>}
      </td>
      <td className="py-[0.1rem] text-right">
        {member.suspect ? <SuspectChip suspect={member.suspect} className="text-[0.85rem]" /> : <WallStatus status={member.status} className="text-[1.15rem]" />}
      </td>
    </tr>
  );
}

/** One Patroni cluster: who leads, who is the synchronous standby, the async replicas and their lag. */
export const ClusterPanel = memo(
  function ClusterPanel({ cluster }: { cluster: ClusterModel; sig: string }) {
    return (
      <article className="min-w-0" data-testid={`wall-cluster-${cluster.id}`} data-status={cluster.status}>
        <header className="mb-[0.3rem] flex items-baseline gap-[0.6rem]">
          <h3 className="min-w-0 flex-1 truncate text-[1.2rem] font-semibold text-slate-100">{cluster.name}</h3>
          {cluster.paused && <ToneWord tone="warn" className="text-[1rem]">PAUSED</ToneWord>}
          <span className="text-[0.95rem] whitespace-nowrap text-slate-300 tabular-nums">
            TL {cluster.timeline ?? "—"}
            {cluster.lastSwitch && cluster.lastSwitch.timeline === cluster.timeline && (
              <>
                {" "}
                since <Since since={cluster.lastSwitch.at} className="inline-block min-w-[3.4rem] text-slate-100" />
                <span className="sr-only"> (time since the last leader change)</span>
              </>
            )}
          </span>
          {cluster.suspect ? <SuspectChip suspect={cluster.suspect} className="text-[1rem]" /> : <WallStatus status={cluster.status} className="text-[1.1rem]" />}
        </header>
        <table className="w-full table-fixed border-collapse">
          <caption className="sr-only">Members of {cluster.name}, with replication lag in bytes and seconds</caption>
          <colgroup>
            <col className="w-[4.6rem]" />
            <col />
            <col className="w-[5rem]" />
            <col className="w-[4.4rem]" />
            <col className="w-[8.8rem]" />
          </colgroup>
          <thead className="sr-only">
            <tr>
              <th scope="col">Role</th>
              <th scope="col">Node</th>
              <th scope="col">Lag (bytes)</th>
              <th scope="col">Lag (seconds)</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {cluster.leader ? (
              <MemberRow clusterId={cluster.id} kind="leader" member={cluster.leader} />
            ) : (
              <tr>
                <th scope="row" className="py-[0.1rem] pr-[0.6rem] text-left text-[0.85rem] font-semibold tracking-[0.12em] text-slate-400 uppercase">
                  Leader
                </th>
                <td colSpan={4} className="py-[0.1rem]">
                  <ToneWord tone="bad" className="text-[1.8rem]">
                    <span data-testid={`wall-cluster-${cluster.id}-leader`}>{cluster.leaderName ?? "NO LEADER"}</span>
                  </ToneWord>
                </td>
              </tr>
            )}
            {cluster.sync ? (
              <MemberRow clusterId={cluster.id} kind="sync" member={cluster.sync} />
            ) : (
              <tr className={rowClass}>
                <th scope="row" className="py-[0.1rem] pr-[0.6rem] text-left text-[0.85rem] font-semibold tracking-[0.12em] text-slate-400 uppercase">
                  Sync
                </th>
                <td colSpan={4} className="py-[0.1rem]">
                  <ToneWord tone="warn" className="text-[1.3rem]">
                    <span data-testid={`wall-cluster-${cluster.id}-sync`}>none</span>
                  </ToneWord>
                </td>
              </tr>
            )}
            {cluster.replicas.map((m) => (
              <MemberRow key={m.name} clusterId={cluster.id} kind="replica" member={m} />
            ))}
          </tbody>
        </table>
      </article>
    );
  },
  (a, b) => a.sig === b.sig,
);

import type { Status } from "@/lib/status";
import type { RedisData, SentinelReplica } from "@/lib/unit-data";
import { formatBytes } from "@/lib/format";
import { StatusBadge } from "@/components/ui/status-badge";
import { TonePill } from "@/components/ui/tone-pill";
import { theadClass } from "@/components/ui/table-classes";

/** One Redis node of a group, merged from what Sentinel says of it and what it says of itself (INFO). */
export interface RedisNodeRow {
  address: string;
  /** The configured instance probed at this address, if any. */
  instanceId: string | null;
  status: Status | null;
  /** Master or replica as Sentinel sees it. */
  sentinelRole: "master" | "replica";
  sentinel: SentinelReplica | null;
  info: RedisData | null;
  /** Bytes not yet acknowledged (master's offset − this replica's), from the master's INFO when it lists it. */
  offsetLag: number | null;
  lastAckSeconds: number | null;
}

const th = "px-3 py-2 font-medium align-bottom";
const td = "px-3 py-2 align-top";

function Link({ row }: { row: RedisNodeRow }) {
  if (row.sentinelRole === "master") return <span className="text-slate-400">—</span>;
  const own = row.info?.masterLinkStatus ?? null;
  const bySentinel = row.sentinel?.masterLinkStatus ?? null;
  const badFlags = row.sentinel?.flags.filter((f) => /down|disconnected/.test(f)) ?? [];
  return (
    <span className="flex flex-wrap items-center gap-1">
      {own !== null && <TonePill tone={own === "up" ? "good" : "bad"}>link {own}</TonePill>}
      {bySentinel !== null && <TonePill tone={bySentinel === "ok" ? "good" : "bad"}>Sentinel: {bySentinel}</TonePill>}
      {badFlags.map((f) => (
        <TonePill key={f} tone="bad">
          {f}
        </TonePill>
      ))}
      {own === null && bySentinel === null && "—"}
    </span>
  );
}

function Role({ row }: { row: RedisNodeRow }) {
  const own = row.info?.role ?? null;
  const ownWord = own === "slave" ? "replica" : own;
  const mismatch = ownWord !== null && ownWord !== row.sentinelRole;
  return (
    <span className="flex flex-wrap items-center gap-1">
      {row.sentinelRole === "master" ? <strong className="text-emerald-300"><span aria-hidden="true">★ </span>master</strong> : "replica"}
      {mismatch && <TonePill tone="bad">itself says {ownWord}</TonePill>}
    </span>
  );
}

/** Master and replicas with link state, replication offsets and the offset lag. */
export function ReplicationTable({ groupId, rows }: { groupId: string; rows: RedisNodeRow[] }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-800 bg-slate-900/60">
      <table className="w-full text-left text-sm tabular-nums" data-testid={`redis-nodes-${groupId}`}>
        <caption className="sr-only">Redis nodes of {groupId}</caption>
        <thead className={theadClass}>
          <tr>
            <th scope="col" className={th}>Node</th>
            <th scope="col" className={th}>Role</th>
            <th scope="col" className={th}>Probe</th>
            <th scope="col" className={th}>Link to master</th>
            <th scope="col" className={`${th} text-right`}>Offset</th>
            <th scope="col" className={`${th} text-right`}>Offset lag</th>
            <th scope="col" className={`${th} text-right`}>Last ACK</th>
            <th scope="col" className={`${th} text-right`}>Memory used / max</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const offset = r.info ? (r.info.role === "master" ? r.info.masterReplOffset : (r.info.slaveReplOffset ?? r.info.masterReplOffset)) : (r.sentinel?.replOffset ?? null);
            return (
              <tr key={r.address} className={`border-t border-slate-800 ${r.sentinelRole === "master" ? "bg-emerald-950/30" : ""}`} data-testid={`redis-node-${r.address}`} data-role={r.sentinelRole}>
                <th scope="row" className={`${td} font-normal`}>
                  <span className="font-mono">{r.address}</span>
                  {r.instanceId && <span className="ml-2 text-xs text-slate-400">{r.instanceId}</span>}
                </th>
                <td className={td}>
                  <Role row={r} />
                </td>
                <td className={td}>{r.status ? <StatusBadge status={r.status} /> : <span className="text-xs text-slate-500">not probed</span>}</td>
                <td className={td}>
                  <Link row={r} />
                </td>
                <td className={`${td} text-right`}>{offset?.toLocaleString("en-GB") ?? "—"}</td>
                <td className={`${td} text-right`}>{r.sentinelRole === "master" ? "—" : r.offsetLag === null ? "—" : `${r.offsetLag.toLocaleString("en-GB")} B`}</td>
                <td className={`${td} text-right`}>{r.lastAckSeconds === null ? "—" : `${r.lastAckSeconds} s ago`}</td>
                <td className={`${td} text-right`}>
                  {r.info ? `${formatBytes(r.info.usedMemory)} / ${r.info.maxMemory ? formatBytes(r.info.maxMemory) : "no limit"}` : "—"}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="border-t border-slate-800 px-3 py-2 text-xs text-slate-400">
        Offset lag: the master&apos;s replication offset minus the offset the replica acknowledged (bytes of the stream it has not confirmed). Last ACK:
        seconds since the replica last acknowledged, as the master reports it.
      </p>
    </div>
  );
}

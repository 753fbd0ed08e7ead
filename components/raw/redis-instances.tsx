import { formatBytes, formatMs } from "@/lib/format";
import type { RedisState } from "@/lib/raw-state";
import { StatusBadge } from "@/components/ui/status-badge";
import { rowClass, tableClass, tdClass, thClass, theadClass } from "@/components/ui/table-classes";
import { TonePill } from "@/components/ui/tone-pill";

export function RedisInstances({ instances }: { instances: RedisState[] }) {
  return (
    <div className="rounded-lg border border-slate-800 bg-slate-900/60 p-4">
      <table className={tableClass}>
        <thead className={theadClass}>
          <tr>
            <th className={thClass}>Instance</th>
            <th className={thClass}>Status</th>
            <th className={thClass}>Role</th>
            <th className={thClass}>Replication</th>
            <th className={thClass}>Memory (used / max)</th>
            <th className={thClass}>Latency</th>
          </tr>
        </thead>
        <tbody>
          {instances.map((r) => (
            <tr key={r.id} className={rowClass}>
              <td className={tdClass}>
                {r.name}
                <div className="font-mono text-xs text-slate-500">{r.endpoint}</div>
              </td>
              <td className={tdClass}>
                <StatusBadge status={r.status} />
                {r.error && <div className="mt-1 text-xs text-red-300">{r.error}</div>}
              </td>
              <td className={tdClass}>{r.data?.role ?? "—"}</td>
              <td className={tdClass}>
                {r.data?.role === "master" && `${r.data.connectedReplicas ?? 0} replica(s)`}
                {r.data && r.data.role !== "master" && (
                  <>
                    <span className="font-mono text-xs">{r.data.masterAddress ?? "?"}</span>{" "}
                    <TonePill tone={r.data.masterLinkStatus === "up" ? "good" : "bad"}>link {r.data.masterLinkStatus ?? "?"}</TonePill>
                  </>
                )}
                {!r.data && "—"}
              </td>
              <td className={tdClass}>
                {r.data ? `${formatBytes(r.data.usedMemory)} / ${r.data.maxMemory ? formatBytes(r.data.maxMemory) : "no limit"}` : "—"}
              </td>
              <td className={tdClass}>{formatMs(r.latencyMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

import { formatBytes } from "@/lib/format";
import type { ClusterState } from "@/lib/raw-state";
import { patroniStateTone } from "@/lib/tone";
import { Panel } from "@/components/ui/panel";
import { rowClass, tableClass, tdClass, thClass, theadClass } from "@/components/ui/table-classes";
import { TonePill } from "@/components/ui/tone-pill";

const ROLE_LABEL: Record<string, string> = {
  leader: "Leader",
  standby_leader: "Standby leader",
  sync_standby: "Sync standby",
  replica: "Replica",
};

function formatLag(lag: number | "unknown" | null): string {
  if (lag === null) return "—";
  if (lag === "unknown") return "unknown";
  return formatBytes(lag);
}

export function PatroniClusters({ clusters }: { clusters: ClusterState[] }) {
  return (
    <>
      {clusters.map((c) => (
        <Panel key={c.id} name={c.name} status={c.status} endpoint={c.endpoint} latencyMs={c.latencyMs} error={c.error}>
          {c.data && (
            <>
              <p className="mb-2 text-sm">
                Leader:{" "}
                {c.data.leader ? (
                  <strong className="text-emerald-300" data-testid="patroni-leader">
                    {c.data.leader}
                  </strong>
                ) : (
                  <strong className="text-red-300" data-testid="patroni-no-leader">
                    none
                  </strong>
                )}
                <span className="ml-3 text-xs text-slate-500">
                  view from {c.data.answeredBy}
                  {c.data.paused && " · maintenance mode (paused)"}
                </span>
              </p>
              <table className={tableClass}>
                <thead className={theadClass}>
                  <tr>
                    <th className={thClass}>Member</th>
                    <th className={thClass}>Role</th>
                    <th className={thClass}>State</th>
                    <th className={thClass}>Host</th>
                    <th className={thClass}>Timeline</th>
                    <th className={thClass}>Lag</th>
                  </tr>
                </thead>
                <tbody>
                  {c.data.members.map((m) => {
                    const isLeader = m.name === c.data?.leader;
                    return (
                      <tr key={m.name} className={`${rowClass} ${isLeader ? "bg-emerald-950/30" : ""}`} data-testid={`patroni-member-${m.name}`}>
                        <td className={`${tdClass} font-mono`}>{m.name}</td>
                        <td className={tdClass}>
                          {isLeader ? (
                            <span className="font-semibold text-emerald-300">
                              <span aria-hidden="true">★ </span>
                              {ROLE_LABEL[m.role] ?? m.role}
                            </span>
                          ) : (
                            (ROLE_LABEL[m.role] ?? m.role)
                          )}
                        </td>
                        <td className={tdClass}>
                          <TonePill tone={patroniStateTone(m.state)}>{m.state || "unknown"}</TonePill>
                          {m.pendingRestart && <span className="ml-2 text-xs text-amber-300">pending restart</span>}
                        </td>
                        <td className={`${tdClass} font-mono text-xs text-slate-400`}>{m.host ? `${m.host}:${m.port ?? ""}` : "—"}</td>
                        <td className={tdClass}>{m.timeline ?? "—"}</td>
                        <td className={tdClass}>{formatLag(m.lag)}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
              {c.data.unanswered.length > 0 && (
                <p className="mt-2 text-xs text-amber-300">
                  <span aria-hidden="true">▲ </span>
                  REST API not answering: {c.data.unanswered.map((u) => `${u.node} (${u.error})`).join(", ")}
                </p>
              )}
            </>
          )}
        </Panel>
      ))}
    </>
  );
}

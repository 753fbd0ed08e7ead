import { formatMs } from "@/lib/format";
import type { SentinelGroupState } from "@/lib/raw-state";
import { Panel } from "@/components/ui/panel";
import { rowClass, tableClass, tdClass, thClass, theadClass } from "@/components/ui/table-classes";
import { TonePill } from "@/components/ui/tone-pill";

export function SentinelGroups({ groups }: { groups: SentinelGroupState[] }) {
  return (
    <>
      {groups.map((g) => (
        <Panel key={g.id} name={g.name} status={g.status} endpoint={g.endpoint} latencyMs={g.latencyMs} error={g.error}>
          {g.data && (
            <>
              <p className="mb-2 text-sm">
                Master <span className="font-mono">{g.data.masterName}</span>:{" "}
                {g.data.master ? (
                  <strong className="font-mono text-emerald-300" data-testid="sentinel-master">
                    {g.data.master}
                  </strong>
                ) : g.data.agree ? (
                  <strong className="text-red-300">unknown</strong>
                ) : (
                  <strong className="text-red-300">
                    <span aria-hidden="true">✖ </span>sentinels disagree
                  </strong>
                )}
              </p>
              <table className={tableClass}>
                <thead className={theadClass}>
                  <tr>
                    <th className={thClass}>Sentinel</th>
                    <th className={thClass}>Answer</th>
                    <th className={thClass}>Master it reports</th>
                    <th className={thClass}>Flags</th>
                    <th className={thClass}>Replicas / other sentinels / quorum</th>
                    <th className={thClass}>Latency</th>
                  </tr>
                </thead>
                <tbody>
                  {g.data.sentinels.map((s) => (
                    <tr key={s.address} className={rowClass}>
                      <td className={`${tdClass} font-mono`}>{s.address}</td>
                      <td className={tdClass}>
                        {s.ok ? <TonePill tone="good">answered</TonePill> : <TonePill tone="bad">{s.error ?? "no answer"}</TonePill>}
                      </td>
                      <td className={`${tdClass} font-mono`}>{s.master ?? "—"}</td>
                      <td className={tdClass}>
                        {s.flags.length === 0
                          ? "—"
                          : s.flags.map((f) => (
                              <TonePill key={f} tone={/down|disconnected|failover/.test(f) ? "bad" : "neutral"}>
                                {f}
                              </TonePill>
                            ))}
                      </td>
                      <td className={tdClass}>
                        {s.ok ? `${s.replicas ?? "?"} / ${s.otherSentinels ?? "?"} / ${s.quorum ?? "?"}` : "—"}
                      </td>
                      <td className={tdClass}>{formatMs(s.latencyMs)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </Panel>
      ))}
    </>
  );
}

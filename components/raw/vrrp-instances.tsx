import { formatTime } from "@/lib/format";
import type { VrrpState } from "@/lib/raw-state";
import { vrrpStateTone } from "@/lib/tone";
import { Panel } from "@/components/ui/panel";
import { rowClass, tableClass, tdClass, thClass, theadClass } from "@/components/ui/table-classes";
import { TonePill } from "@/components/ui/tone-pill";

export function VrrpInstances({ instances }: { instances: VrrpState[] }) {
  return (
    <div className="grid gap-3 md:grid-cols-2">
      {instances.map((v) => (
        <Panel key={v.id} name={v.data?.instance ?? v.name} status={v.status} endpoint={`VIP ${v.endpoint}`} latencyMs={v.latencyMs} error={v.error}>
          {v.data && (
            <table className={tableClass}>
              <thead className={theadClass}>
                <tr>
                  <th className={thClass}>Node</th>
                  <th className={thClass}>State</th>
                  <th className={thClass}>Priority</th>
                  <th className={thClass}>Since</th>
                </tr>
              </thead>
              <tbody>
                {v.data.nodes.map((n) => (
                  <tr key={n.name} className={rowClass} data-testid={`vrrp-${v.data?.instance}-${n.name}`}>
                    <td className={`${tdClass} font-mono`}>{n.name}</td>
                    <td className={tdClass}>
                      <TonePill tone={vrrpStateTone(n.state)}>{n.state}</TonePill>
                      {n.error && <div className="mt-1 text-xs text-slate-400">{n.error}</div>}
                    </td>
                    <td className={tdClass}>{n.priority ?? "—"}</td>
                    <td className={tdClass}>{formatTime(n.at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Panel>
      ))}
    </div>
  );
}

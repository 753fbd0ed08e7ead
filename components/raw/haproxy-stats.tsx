import { formatDuration } from "@/lib/format";
import type { HaproxyState } from "@/lib/raw-state";
import { haproxyStatusTone } from "@/lib/tone";
import { Panel } from "@/components/ui/panel";
import { rowClass, tableClass, tdClass, thClass, theadClass } from "@/components/ui/table-classes";
import { TonePill } from "@/components/ui/tone-pill";

export function HaproxyStats({ endpoints }: { endpoints: HaproxyState[] }) {
  return (
    <>
      {endpoints.map((h) => (
        <Panel key={h.id} name={h.name} status={h.status} endpoint={h.endpoint} latencyMs={h.latencyMs} error={h.error}>
          {h.data && (
            <div className="space-y-4">
              {h.data.proxies
                .filter((p) => p.frontend && !p.backend)
                .map((p) => (
                  <p key={p.name} className="text-sm">
                    Frontend <span className="font-mono">{p.name}</span>{" "}
                    <TonePill tone={haproxyStatusTone(p.frontend?.status ?? "")}>{p.frontend?.status || "unknown"}</TonePill>
                  </p>
                ))}
              {h.data.proxies
                .filter((p) => p.backend)
                .map((p) => (
                  <div key={p.name} data-testid={`haproxy-backend-${p.name}`}>
                    <p className="mb-1 text-sm">
                      {p.frontend ? "Listen" : "Backend"} <span className="font-mono">{p.name}</span>{" "}
                      {p.frontend && (
                        <>
                          frontend <TonePill tone={haproxyStatusTone(p.frontend.status)}>{p.frontend.status || "unknown"}</TonePill>{" "}
                          backend{" "}
                        </>
                      )}
                      <TonePill tone={haproxyStatusTone(p.backend?.status ?? "")}>{p.backend?.status || "unknown"}</TonePill>
                      <span className="ml-2 text-xs text-slate-400">
                        {p.backend?.active ?? 0} active / {p.backend?.backup ?? 0} backup up
                      </span>
                    </p>
                    {p.servers.length > 0 && (
                      <table className={tableClass}>
                        <thead className={theadClass}>
                          <tr>
                            <th className={thClass}>Server</th>
                            <th className={thClass}>Status</th>
                            <th className={thClass}>Check</th>
                            <th className={thClass}>Last change</th>
                            <th className={thClass}>Weight</th>
                            <th className={thClass}>Kind</th>
                          </tr>
                        </thead>
                        <tbody>
                          {p.servers.map((s) => (
                            <tr key={s.name} className={rowClass}>
                              <td className={`${tdClass} font-mono`}>{s.name}</td>
                              <td className={tdClass}>
                                <TonePill tone={haproxyStatusTone(s.status)}>{s.status || "unknown"}</TonePill>
                              </td>
                              <td className={`${tdClass} font-mono text-xs`}>
                                {s.checkStatus ?? "—"}
                                {s.checkCode && ` (${s.checkCode})`}
                              </td>
                              <td className={tdClass}>{s.lastChangeSeconds === null ? "—" : `${formatDuration(s.lastChangeSeconds)} ago`}</td>
                              <td className={tdClass}>{s.weight ?? "—"}</td>
                              <td className={tdClass}>{s.backup === 1 ? "backup" : "active"}</td>
                            </tr>
                          ))}
                        </tbody>
                      </table>
                    )}
                  </div>
                ))}
            </div>
          )}
        </Panel>
      ))}
    </>
  );
}

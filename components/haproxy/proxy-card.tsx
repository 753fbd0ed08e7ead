import type { HaproxyProxy, HaproxyRow } from "@/lib/unit-data";
import { formatDuration, formatMs } from "@/lib/format";
import { haproxyStatusTone } from "@/lib/tone";
import { TonePill } from "@/components/ui/tone-pill";
import { rowClass, theadClass } from "@/components/ui/table-classes";

const th = "px-3 py-2 font-medium align-bottom";
const td = "px-3 py-2 align-top";

/** HAProxy's status word exactly as it reports it ("UP 1/3" included), with an icon for its tone. */
export function HaproxyStatus({ status }: { status: string }) {
  return <TonePill tone={haproxyStatusTone(status)}>{status || "unknown"}</TonePill>;
}

function Check({ s }: { s: HaproxyRow }) {
  if (!s.checkStatus) return <span className="text-slate-500">no check</span>;
  const ok = /OK$/.test(s.checkStatus);
  return (
    <div>
      <span className="font-mono text-xs">
        <span aria-hidden="true" className={ok ? "text-emerald-300" : "text-red-300"}>
          {ok ? "● " : "✖ "}
        </span>
        {s.checkStatus}
        {s.checkCode && ` ${s.checkCode}`}
        {s.checkDurationMs !== null && <span className="text-slate-400"> in {formatMs(s.checkDurationMs)}</span>}
      </span>
      {s.checkDescription && <div className="text-xs text-slate-400">{s.checkDescription}</div>}
    </div>
  );
}

/** One proxy: its frontend and backend status, and each server with its check result. */
export function ProxyCard({ proxy }: { proxy: HaproxyProxy }) {
  const { frontend: fe, backend: be } = proxy;
  return (
    <article className="rounded-lg border border-slate-800 bg-slate-900/60" data-testid={`haproxy-proxy-${proxy.name}`} aria-labelledby={`proxy-${proxy.name}`}>
      <header className="flex flex-wrap items-center gap-x-4 gap-y-2 px-3 py-3">
        <h3 id={`proxy-${proxy.name}`} className="font-mono text-base font-semibold text-slate-100">
          {proxy.name}
        </h3>
        {fe && (
          <span className="flex items-center gap-1.5 text-sm text-slate-400">
            frontend <HaproxyStatus status={fe.status} />
            <span className="tabular-nums">{fe.sessions ?? 0} sessions</span>
          </span>
        )}
        {be && (
          <span className="flex items-center gap-1.5 text-sm text-slate-400">
            backend <HaproxyStatus status={be.status} />
            <span className="tabular-nums">
              {be.active ?? 0} active{be.backup ? ` + ${be.backup} backup` : ""} up · {be.sessions ?? 0} sessions
            </span>
          </span>
        )}
        {be?.lastChangeSeconds != null && <span className="text-xs text-slate-500 tabular-nums">backend changed {formatDuration(be.lastChangeSeconds)} ago</span>}
      </header>
      {proxy.servers.length > 0 && (
        <div className="overflow-x-auto border-t border-slate-800">
          <table className="w-full min-w-[56rem] table-fixed text-left text-sm tabular-nums">
            <caption className="sr-only">Servers of {proxy.name}</caption>
            <colgroup>
              <col className="w-[12%]" />
              <col className="w-[12%]" />
              <col className="w-[28%]" />
              <col className="w-[12%]" />
              <col className="w-[10%]" />
              <col className="w-[9%]" />
              <col className="w-[8%]" />
              <col className="w-[9%]" />
            </colgroup>
            <thead className={theadClass}>
              <tr>
                <th scope="col" className={th}>Server</th>
                <th scope="col" className={th}>Status</th>
                <th scope="col" className={th}>Last check</th>
                <th scope="col" className={`${th} text-right`}>Last change</th>
                <th scope="col" className={`${th} text-right`}>Failed checks (total)</th>
                <th scope="col" className={`${th} text-right`}>Sessions</th>
                <th scope="col" className={`${th} text-right`}>Weight</th>
                <th scope="col" className={th}>Kind</th>
              </tr>
            </thead>
            <tbody>
              {proxy.servers.map((s) => (
                <tr key={s.name} className={rowClass} data-testid={`haproxy-server-${proxy.name}-${s.name}`} data-status={s.status}>
                  <th scope="row" className={`${td} font-mono font-normal`}>
                    {s.name}
                    {s.address && <div className="text-xs text-slate-500">{s.address}</div>}
                  </th>
                  <td className={td}>
                    <HaproxyStatus status={s.status} />
                  </td>
                  <td className={td}>
                    <Check s={s} />
                  </td>
                  <td className={`${td} text-right`}>{s.lastChangeSeconds === null ? "—" : `${formatDuration(s.lastChangeSeconds)} ago`}</td>
                  <td className={`${td} text-right`}>{s.checkFailures ?? "—"}</td>
                  <td className={`${td} text-right`}>{s.sessions ?? "—"}</td>
                  <td className={`${td} text-right`}>{s.weight ?? "—"}</td>
                  <td className={td}>{s.backup === 1 ? "backup" : "active"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </article>
  );
}

import type { SentinelData } from "@/lib/unit-data";
import { formatMs } from "@/lib/format";
import { TonePill } from "@/components/ui/tone-pill";
import { rowClass, theadClass } from "@/components/ui/table-classes";

const th = "px-3 py-2 font-medium align-bottom";
const td = "px-3 py-2 align-top";
const BAD_FLAG = /down|disconnected|failover|promoted/;

/** What each sentinel of a group reports: the master, its flags for it, the quorum and CKQUORUM's verdict. */
export function SentinelTable({ groupId, data }: { groupId: string; data: SentinelData }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-800 bg-slate-900/60">
      <table className="w-full text-left text-sm tabular-nums" data-testid={`sentinels-${groupId}`}>
        <caption className="sr-only">Sentinels of {data.masterName}</caption>
        <thead className={theadClass}>
          <tr>
            <th scope="col" className={th}>Sentinel</th>
            <th scope="col" className={th}>Answer</th>
            <th scope="col" className={th}>Master it reports</th>
            <th scope="col" className={th}>Its flags for the master</th>
            <th scope="col" className={`${th} text-right`}>Replicas</th>
            <th scope="col" className={`${th} text-right`}>Other sentinels</th>
            <th scope="col" className={`${th} text-right`}>Quorum</th>
            <th scope="col" className={th}>CKQUORUM</th>
            <th scope="col" className={`${th} text-right`}>Epoch</th>
            <th scope="col" className={`${th} text-right`}>Latency</th>
          </tr>
        </thead>
        <tbody>
          {data.sentinels.map((s) => {
            const disagrees = s.master !== null && data.master !== null && s.master !== data.master;
            return (
              <tr key={s.address} className={rowClass} data-testid={`sentinel-${s.address}`}>
                <th scope="row" className={`${td} font-mono font-normal`}>{s.address}</th>
                <td className={td}>{s.ok ? <TonePill tone="good">answered</TonePill> : <TonePill tone="bad">no answer</TonePill>}
                  {s.error && <p className="mt-1 max-w-xs text-xs text-red-300">{s.error}</p>}
                </td>
                <td className={`${td} font-mono`}>
                  {s.master ?? "—"}
                  {(disagrees || (!data.agree && s.master)) && (
                    <div className="mt-1">
                      <TonePill tone="bad">disagrees</TonePill>
                    </div>
                  )}
                </td>
                <td className={td}>
                  <span className="flex flex-wrap gap-1">
                    {s.flags.length === 0
                      ? "—"
                      : s.flags.map((f) => (
                          <TonePill key={f} tone={BAD_FLAG.test(f) ? "bad" : "neutral"}>
                            {f}
                          </TonePill>
                        ))}
                  </span>
                </td>
                <td className={`${td} text-right`}>{s.replicas ?? "—"}</td>
                <td className={`${td} text-right`}>{s.otherSentinels ?? "—"}</td>
                <td className={`${td} text-right`}>{s.quorum ?? "—"}</td>
                <td className={td}>
                  {s.ckquorum ? (
                    <>
                      <TonePill tone={s.ckquorum.ok ? "good" : "bad"}>{s.ckquorum.ok ? "OK" : "NOQUORUM"}</TonePill>
                      <p className="mt-1 max-w-xs text-xs text-slate-400">{s.ckquorum.message}</p>
                    </>
                  ) : (
                    "—"
                  )}
                </td>
                <td className={`${td} text-right`}>{s.configEpoch ?? "—"}</td>
                <td className={`${td} text-right`}>{formatMs(s.latencyMs)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

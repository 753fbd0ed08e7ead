import type { Tone } from "@/lib/tone";
import { TonePill } from "@/components/ui/tone-pill";
import { rowClass } from "@/components/ui/table-classes";

export interface SentinelEventRow {
  at: number;
  source: string;
  type: string;
  message: string;
}

function eventTone(type: string): Tone {
  if (type === "+sdown" || type === "+odown" || type.startsWith("-failover-abort")) return "bad";
  if (type === "-sdown" || type === "-odown") return "good";
  if (type === "+switch-master" || type.startsWith("+failover") || type === "+try-failover" || type === "+promoted-slave") return "warn";
  return "neutral";
}

const th = "px-3 py-2 font-medium";
const td = "px-3 py-2 align-top";

/** What the sentinels published (pub/sub), newest first. */
export function SentinelEvents({ groupId, events }: { groupId: string; events: SentinelEventRow[] }) {
  if (events.length === 0) return <p className="text-sm text-slate-400">No Sentinel events recorded.</p>;
  return (
    <div className="max-h-96 overflow-auto rounded-lg border border-slate-800 bg-slate-900/60">
      <table className="w-full text-left text-sm tabular-nums" data-testid={`sentinel-events-${groupId}`}>
        <caption className="sr-only">Recent Sentinel events, newest first</caption>
        <thead className="sticky top-0 bg-slate-900 text-xs text-slate-400 uppercase">
          <tr>
            <th scope="col" className={th}>Time</th>
            <th scope="col" className={th}>Event</th>
            <th scope="col" className={th}>Details</th>
            <th scope="col" className={th}>From sentinel</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={`${e.at}|${e.source}|${e.type}|${e.message}`} className={rowClass}>
              <td className={`${td} whitespace-nowrap`}>{new Date(e.at).toLocaleString("en-GB", { hour12: false })}</td>
              <th scope="row" className={`${td} font-normal`}>
                <TonePill tone={eventTone(e.type)}>{e.type}</TonePill>
              </th>
              <td className={`${td} font-mono text-xs text-slate-300`}>{e.message}</td>
              <td className={`${td} font-mono text-xs text-slate-400`}>{e.source}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

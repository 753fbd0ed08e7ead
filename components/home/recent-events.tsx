import type { EventView } from "@/lib/snapshot";
import { formatTime } from "@/lib/format";

/** What the stack pushed lately (Sentinel failovers, keepalived transitions), newest first. */
export function RecentEvents({ events }: { events: EventView[] }) {
  if (events.length === 0) return <p className="text-sm text-slate-400">None since the dashboard started.</p>;
  return (
    <ul className="space-y-1 rounded-lg border border-slate-800 bg-slate-900/60 p-4 text-sm" data-testid="home-events">
      {events.map((e, i) => (
        <li key={`${e.at}-${i}`} className="flex gap-3">
          <span className="shrink-0 text-slate-400 tabular-nums">{formatTime(new Date(e.at))}</span>
          <span className="shrink-0 font-semibold text-slate-100">{e.type}</span>
          <span className="min-w-0 truncate text-slate-300">{e.message}</span>
        </li>
      ))}
    </ul>
  );
}

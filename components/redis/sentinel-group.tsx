import { SentinelActions } from "@/components/actions/sentinel-actions";
import { GroupFacts } from "@/components/redis/group-facts";
import { ReplicationTable, type RedisNodeRow } from "@/components/redis/replication-table";
import { SentinelEvents, type SentinelEventRow } from "@/components/redis/sentinel-events";
import { SentinelTable } from "@/components/redis/sentinel-table";
import { FindingsList } from "@/components/ui/findings-list";
import { StatusBadge } from "@/components/ui/status-badge";
import { SuspectPill } from "@/components/ui/suspect-pill";
import type { Finding } from "@/lib/health";
import type { TypedUnit } from "@/lib/unit-data";

/** One Sentinel group: its state, the sentinels, the master and replicas, and what the sentinels published. */
export function SentinelGroup({
  group: g,
  rows,
  events,
  findings,
  historyError,
}: {
  group: TypedUnit<"sentinel">;
  rows: RedisNodeRow[];
  events: SentinelEventRow[];
  findings: Finding[];
  historyError: string | null;
}) {
  const d = g.data;
  return (
    <section aria-labelledby={`group-${g.targetId}`} className="space-y-4" data-testid={`sentinel-group-${g.targetId}`}>
      <h2 id={`group-${g.targetId}`} className="flex flex-wrap items-center gap-3 text-lg font-semibold text-slate-100">
        {g.label} <StatusBadge status={g.status} />
        {g.suspect && <SuspectPill suspect={g.suspect} />}
      </h2>
      {g.reason && g.status !== "UP" && <p className="text-sm text-slate-300">{g.reason}</p>}
      <GroupFacts groupId={g.targetId} data={d} />
      <FindingsList findings={findings} />
      <SentinelActions groupId={g.targetId} master={d?.master ?? null} />
      {d && (
        <>
          <h3 className="text-sm font-semibold tracking-wider text-slate-400 uppercase">Sentinels</h3>
          <SentinelTable groupId={g.targetId} data={d} />
          <h3 className="text-sm font-semibold tracking-wider text-slate-400 uppercase">Master and replicas</h3>
          <ReplicationTable groupId={g.targetId} rows={rows} />
        </>
      )}
      <h3 className="text-sm font-semibold tracking-wider text-slate-400 uppercase">Recent Sentinel events</h3>
      {historyError !== null && (
        <p className="text-xs text-amber-300">
          <span aria-hidden="true">▲ </span>Stored history unavailable ({historyError}); showing events since the dashboard started.
        </p>
      )}
      <SentinelEvents groupId={g.targetId} events={events} />
    </section>
  );
}

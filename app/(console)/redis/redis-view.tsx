"use client";

import { useQuery } from "@tanstack/react-query";
import { SentinelActions } from "@/components/actions/sentinel-actions";
import { groupRows } from "@/components/redis/group-rows";
import { ReplicationTable, type RedisNodeRow } from "@/components/redis/replication-table";
import { SentinelEvents, type SentinelEventRow } from "@/components/redis/sentinel-events";
import { SentinelTable } from "@/components/redis/sentinel-table";
import { Facts } from "@/components/ui/facts";
import { FeedStatus } from "@/components/ui/feed-status";
import { FindingsList } from "@/components/ui/findings-list";
import { LoadProblem } from "@/components/ui/load-problem";
import { PageHeader } from "@/components/ui/page-header";
import { StatusBadge } from "@/components/ui/status-badge";
import { SuspectPill } from "@/components/ui/suspect-pill";
import { TonePill } from "@/components/ui/tone-pill";
import { useTRPC } from "@/lib/trpc/client";
import { unitsOfKind } from "@/lib/unit-data";
import { useLiveSnapshot } from "@/lib/use-live-snapshot";

const EVENTS_SHOWN = 50;

/** Live events first, then the stored history (first paint only), without the duplicates. */
function mergeEvents(live: SentinelEventRow[], stored: SentinelEventRow[]): SentinelEventRow[] {
  const seen = new Set<string>();
  return [...live, ...stored]
    .filter((e) => {
      const k = `${e.at}|${e.source}|${e.type}|${e.message}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .sort((a, b) => b.at - a.at)
    .slice(0, EVENTS_SHOWN);
}

export function RedisView({ instances }: { instances: { id: string; address: string }[] }) {
  const trpc = useTRPC();
  const { snapshot, error, feed } = useLiveSnapshot();
  // History once, for the first paint; new events arrive with the snapshots.
  const history = useQuery(trpc.transition.events.queryOptions({ limit: 200 }, { staleTime: Infinity, refetchOnWindowFocus: false }));
  if (!snapshot) return <LoadProblem error={error} what="Redis state" />;

  const addressOf = new Map(instances.map((i) => [i.id, i.address]));
  const groups = unitsOfKind(snapshot, "sentinel");
  const redis = unitsOfKind(snapshot, "redis");
  const placed = new Set<string>();

  return (
    <div className="space-y-10">
      <PageHeader
        title="Redis Sentinel"
        description="Per Sentinel group: what each sentinel reports, the master and its replicas with link state and replication offsets, and what the sentinels published."
        aside={<FeedStatus feed={feed} at={snapshot.at} />}
      />
      {groups.length === 0 && <p className="text-sm text-slate-400">No Sentinel group configured.</p>}
      {groups.map((g) => {
        const d = g.data;
        const rows: RedisNodeRow[] = d ? groupRows(d, redis, addressOf) : [];
        for (const r of rows) if (r.instanceId) placed.add(r.instanceId);
        const events = mergeEvents(
          snapshot.events.filter((e) => e.targetId === g.targetId),
          (history.data ?? []).filter((e) => e.targetId === g.targetId),
        );
        const findings = snapshot.findings.filter((f) => f.subjects.includes(g.key));
        return (
          <section key={g.key} aria-labelledby={`group-${g.targetId}`} className="space-y-4" data-testid={`sentinel-group-${g.targetId}`}>
            <h2 id={`group-${g.targetId}`} className="flex flex-wrap items-center gap-3 text-lg font-semibold text-slate-100">
              {g.label} <StatusBadge status={g.status} />
              {g.suspect && (
                <SuspectPill suspect={g.suspect} />
              )}
            </h2>
            {g.reason && g.status !== "UP" && <p className="text-sm text-slate-300">{g.reason}</p>}
            <Facts
              items={[
                { label: "Master name", value: <span className="font-mono">{d?.masterName ?? "—"}</span> },
                {
                  label: "Master",
                  value: d?.master ? (
                    <span className="font-mono font-semibold text-emerald-300">{d.master}</span>
                  ) : d && !d.agree ? (
                    <TonePill tone="bad">SENTINELS DISAGREE</TonePill>
                  ) : (
                    <TonePill tone="unknown">unknown</TonePill>
                  ),
                  testId: `redis-master-${g.targetId}`,
                },
                {
                  label: "Sentinels answering",
                  value: d ? `${d.sentinels.filter((s) => s.ok).length} of ${d.sentinels.length}` : "—",
                },
                {
                  label: "Quorum (CKQUORUM)",
                  value:
                    d?.quorumOk === true ? <TonePill tone="good">OK</TonePill> : d?.quorumOk === false ? <TonePill tone="bad">NO QUORUM</TonePill> : <TonePill tone="unknown">unknown</TonePill>,
                },
              ]}
            />
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
            {history.isError && (
              <p className="text-xs text-amber-300">
                <span aria-hidden="true">▲ </span>Stored history unavailable ({history.error.message}); showing events since the dashboard started.
              </p>
            )}
            <SentinelEvents groupId={g.targetId} events={events} />
          </section>
        );
      })}
      {(() => {
        const others = redis.filter((u) => !placed.has(u.targetId));
        if (others.length === 0) return null;
        const rows: RedisNodeRow[] = others.map((u) => ({
          address: addressOf.get(u.targetId) ?? u.targetId,
          instanceId: u.targetId,
          status: u.status,
          sentinelRole: u.data?.role === "master" ? "master" : "replica",
          sentinel: null,
          info: u.data,
          offsetLag: null,
          lastAckSeconds: null,
        }));
        return (
          <section aria-labelledby="other-redis" className="space-y-3">
            <h2 id="other-redis" className="text-lg font-semibold text-slate-100">
              Redis instances outside any Sentinel group
            </h2>
            <ReplicationTable groupId="other" rows={rows} />
          </section>
        );
      })()}
    </div>
  );
}

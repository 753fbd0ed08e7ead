"use client";

import { useQuery } from "@tanstack/react-query";
import { groupRows } from "@/components/redis/group-rows";
import { OtherRedis } from "@/components/redis/other-redis";
import type { SentinelEventRow } from "@/components/redis/sentinel-events";
import { SentinelGroup } from "@/components/redis/sentinel-group";
import { FeedStatus } from "@/components/ui/feed-status";
import { LoadProblem } from "@/components/ui/load-problem";
import { PageHeader } from "@/components/ui/page-header";
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
  const redis = unitsOfKind(snapshot, "redis");
  const groups = unitsOfKind(snapshot, "sentinel").map((g) => ({ g, rows: g.data ? groupRows(g.data, redis, addressOf) : [] }));
  const placed = new Set(groups.flatMap(({ rows }) => rows.flatMap((r) => (r.instanceId ? [r.instanceId] : []))));
  const historyError = history.isError ? history.error.message : null;

  return (
    <div className="space-y-10">
      <PageHeader
        title="Redis Sentinel"
        description="Per Sentinel group: what each sentinel reports, the master and its replicas with link state and replication offsets, and what the sentinels published."
        aside={<FeedStatus feed={feed} at={snapshot.at} />}
      />
      {groups.length === 0 && <p className="text-sm text-slate-400">No Sentinel group configured.</p>}
      {groups.map(({ g, rows }) => (
        <SentinelGroup
          key={g.key}
          group={g}
          rows={rows}
          events={mergeEvents(
            snapshot.events.filter((e) => e.targetId === g.targetId),
            (history.data ?? []).filter((e) => e.targetId === g.targetId),
          )}
          findings={snapshot.findings.filter((f) => f.subjects.includes(g.key))}
          historyError={historyError}
        />
      ))}
      <OtherRedis instances={redis.filter((u) => !placed.has(u.targetId))} addressOf={addressOf} />
    </div>
  );
}

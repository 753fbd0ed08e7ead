"use client";

import { useQuery } from "@tanstack/react-query";
import { ChecksTable } from "@/components/raw/checks-table";
import { HaproxyStats } from "@/components/raw/haproxy-stats";
import { PatroniClusters } from "@/components/raw/patroni-clusters";
import { RedisInstances } from "@/components/raw/redis-instances";
import { SentinelGroups } from "@/components/raw/sentinel-groups";
import { VrrpInstances } from "@/components/raw/vrrp-instances";
import { Section } from "@/components/ui/section";
import { formatTime } from "@/lib/format";
import { useTRPC } from "@/lib/trpc/client";

/**
 * The first page: every target probed on each request. Polling from the page is acceptable here
 * only; later pages read the scheduler's state and its SSE subscription.
 */
export function RawStateView({ title }: { title: string }) {
  const trpc = useTRPC();
  const query = useQuery(trpc.raw.state.queryOptions(undefined, { refetchInterval: 2000 }));
  const state = query.data;

  return (
    <div className="space-y-8">
      <header className="flex flex-wrap items-baseline gap-x-4 gap-y-1">
        <h1 className="text-xl font-semibold text-slate-100">{title}</h1>
        <p className="text-sm text-slate-400" aria-live="polite">
          {state ? `Probed at ${formatTime(state.generatedAt)} in ${state.durationMs} ms` : query.isPending ? "Probing…" : ""}
        </p>
      </header>

      {query.isError && (
        <p role="alert" className="rounded border border-amber-700 bg-amber-950/40 px-3 py-2 text-sm text-amber-200">
          <span aria-hidden="true">▲ </span>
          Cannot refresh: {query.error.message}.{" "}
          {state ? `Showing the last answer, from ${formatTime(state.generatedAt)} (STALE).` : "No data yet."}
        </p>
      )}

      {state && (
        <>
          <Section title="PostgreSQL (Patroni)" empty={state.clusters.length === 0}>
            <PatroniClusters clusters={state.clusters} />
          </Section>
          <Section title="Redis Sentinel" empty={state.sentinels.length === 0}>
            <SentinelGroups groups={state.sentinels} />
          </Section>
          <Section title="Redis instances" empty={state.redis.length === 0}>
            <RedisInstances instances={state.redis} />
          </Section>
          <Section title="VRRP (keepalived)" empty={state.vrrp.length === 0}>
            <VrrpInstances instances={state.vrrp} />
          </Section>
          <Section title="HAProxy" empty={state.haproxy.length === 0}>
            <HaproxyStats endpoints={state.haproxy} />
          </Section>
          <Section title="Service checks" empty={state.http.length + state.tcp.length + state.marketData.length === 0}>
            <ChecksTable checks={[...state.http, ...state.tcp, ...state.marketData]} />
          </Section>
        </>
      )}
    </div>
  );
}

"use client";

import { ProxyCard } from "@/components/haproxy/proxy-card";
import { FeedStatus } from "@/components/ui/feed-status";
import { LoadProblem } from "@/components/ui/load-problem";
import { PageHeader } from "@/components/ui/page-header";
import { StatusBadge } from "@/components/ui/status-badge";
import { SuspectPill } from "@/components/ui/suspect-pill";
import { formatMs } from "@/lib/format";
import { unitsOfKind } from "@/lib/unit-data";
import { useLiveSnapshot } from "@/lib/use-live-snapshot";

export function HaproxyView() {
  const { snapshot, error, feed } = useLiveSnapshot();
  if (!snapshot) return <LoadProblem error={error} what="HAProxy state" />;
  const units = unitsOfKind(snapshot, "haproxy");
  return (
    <div className="space-y-8">
      <PageHeader
        title="HAProxy"
        description="Frontends and backends with each server's state as HAProxy reports it, and its last health check."
        aside={<FeedStatus feed={feed} at={snapshot.at} />}
      />
      {units.length === 0 && <p className="text-sm text-slate-400">No HAProxy configured.</p>}
      {units.map((u) => {
        // Backends with servers first (what carries traffic), then frontends-only such as stats.
        const proxies = [...(u.data?.proxies ?? [])].sort((a, b) => Number(b.servers.length > 0) - Number(a.servers.length > 0));
        return (
          <section key={u.key} aria-labelledby={`haproxy-${u.targetId}`} className="space-y-4" data-testid={`haproxy-${u.targetId}`}>
            <h2 id={`haproxy-${u.targetId}`} className="flex flex-wrap items-center gap-3 text-lg font-semibold text-slate-100">
              {u.label} <StatusBadge status={u.status} />
              {u.suspect && (
                <SuspectPill suspect={u.suspect} />
              )}
              <span className="text-xs font-normal text-slate-400 tabular-nums">stats read in {formatMs(u.latencyMs)}</span>
            </h2>
            {u.reason && <p className="text-sm text-slate-300">{u.reason}</p>}
            {!u.data && <p className="text-sm text-slate-400">No stats yet.</p>}
            <div className="space-y-4">
              {proxies.map((p) => (
                <ProxyCard key={p.name} proxy={p} />
              ))}
            </div>
          </section>
        );
      })}
      <p className="text-xs text-slate-400">
        States are HAProxy&apos;s own words. &quot;UP 2/3&quot; is still UP but failing checks (going down after 3); &quot;DOWN 1/2&quot; is still DOWN but
        passing checks (coming up after 2). L7OK / L4OK: the check passed; L7STS: wrong HTTP status; L4CON / L4TOUT: no connection / timeout.
      </p>
    </div>
  );
}

"use client";

import { VrrpActions } from "@/components/actions/vrrp-actions";
import { FeedStatus } from "@/components/ui/feed-status";
import { FindingsList } from "@/components/ui/findings-list";
import { LoadProblem } from "@/components/ui/load-problem";
import { PageHeader } from "@/components/ui/page-header";
import { VrrpMatrix } from "@/components/vrrp/vrrp-matrix";
import { unitsOfKind } from "@/lib/unit-data";
import { useLiveSnapshot } from "@/lib/use-live-snapshot";

export function VrrpView() {
  const { snapshot, error, feed } = useLiveSnapshot();
  if (!snapshot) return <LoadProblem error={error} what="VRRP state" />;
  const units = unitsOfKind(snapshot, "vrrp");
  const keys = new Set(units.map((u) => u.key));
  const findings = snapshot.findings.filter((f) => f.subjects.some((s) => keys.has(s)));
  const split = units.filter((u) => (u.data?.masters.length ?? 0) > 1);
  return (
    <div className="space-y-6">
      <PageHeader
        title="VRRP (keepalived)"
        description="Which keepalived node holds each virtual IP. Exactly one MASTER per instance is healthy; none means the VIP is down; two is split brain."
        aside={<FeedStatus feed={feed} at={snapshot.at} />}
      />
      {split.length > 0 && (
        <div role="alert" className="flex items-start gap-3 rounded-lg border-2 border-red-600 bg-red-950/60 px-4 py-3" data-testid="vrrp-split-brain">
          <span aria-hidden="true" className="text-2xl leading-none text-red-300">
            ✖
          </span>
          <div>
            <p className="font-semibold text-red-100">SPLIT BRAIN</p>
            {split.map((u) => (
              <p key={u.key} className="text-sm text-red-200">
                {u.data?.instance}: {u.data?.masters.join(" and ")} all claim MASTER for {u.data?.vips.join(", ")}. Traffic may reach
                either node.
              </p>
            ))}
          </div>
        </div>
      )}
      <FindingsList findings={findings} />
      {units.length === 0 ? <p className="text-sm text-slate-400">No VRRP instance configured.</p> : <VrrpMatrix units={units} now={snapshot.at} />}
      <VrrpActions instances={units.map((u) => ({ id: u.targetId, instance: u.data?.instance ?? u.targetId, nodes: u.data?.nodes ?? [] }))} />
    </div>
  );
}

"use client";

import { ActionButton } from "./action-button";
import { useActionRights } from "./use-action-rights";

/** Switchover (or, without a leader, failover) buttons for each standby of a Patroni cluster. */
export function ClusterActions({ clusterId, leader, members }: { clusterId: string; leader: string | null; members: { name: string; role: string }[] }) {
  const rights = useActionRights();
  if (!rights.mayRequest) return null;
  const standbys = members.filter((m) => m.name !== leader);
  return (
    <section aria-labelledby="cluster-actions" className="space-y-2" data-testid="cluster-actions">
      <h2 id="cluster-actions" className="text-sm font-semibold tracking-wider text-slate-400 uppercase">
        Actions (two-person approval)
      </h2>
      <div className="flex flex-wrap gap-2">
        {standbys.map((m) =>
          leader ? (
            <ActionButton
              key={m.name}
              target={{ kind: "patroni_switchover", targetId: clusterId, node: m.name, expectedLeader: leader }}
              label={`Switch over to ${m.name}${m.role === "sync_standby" ? " (sync standby)" : ""}`}
              testId={`switchover-${m.name}`}
            />
          ) : (
            <ActionButton key={m.name} target={{ kind: "patroni_failover", targetId: clusterId, node: m.name }} label={`Fail over to ${m.name}`} testId={`failover-${m.name}`} />
          ),
        )}
        {standbys.length === 0 && <p className="text-sm text-slate-400">No standby to move the primary to.</p>}
      </div>
    </section>
  );
}

"use client";

import { ActionButton } from "./action-button";

/** Sentinel failover for one group: Sentinel promotes the replica it judges best. */
export function SentinelActions({ groupId, master }: { groupId: string; master: string | null }) {
  return (
    <div className="flex flex-wrap gap-2" data-testid={`sentinel-actions-${groupId}`}>
      <ActionButton
        target={{ kind: "sentinel_failover", targetId: groupId, ...(master ? { expectedLeader: master } : {}) }}
        label="Sentinel failover (two-person approval)"
        testId={`sentinel-failover-${groupId}`}
      />
    </div>
  );
}

import Link from "next/link";
import type { ClusterView, UnitSnapshot } from "@/lib/snapshot";
import { unitKey } from "@/lib/keys";
import { formatBytes } from "@/lib/format";
import { Facts } from "@/components/ui/facts";
import { Panel } from "@/components/ui/panel";

/** The replica furthest behind, by seconds as the standby measures it (bytes when seconds are unknown). */
function worstLag(c: ClusterView): string {
  const standbys = c.members.filter((m) => m.name !== c.leader);
  const secs = standbys.map((m) => m.lagSeconds).filter((v): v is number => v !== null);
  if (secs.length > 0) return `${Math.max(...secs).toFixed(1)} s (limit ${c.maxLagSeconds} s)`;
  const bytes = standbys.map((m) => m.lagBytes).filter((v): v is number => v !== null);
  return bytes.length > 0 ? formatBytes(Math.max(...bytes)) : "—";
}

/** Each Patroni cluster in one card: who leads, who is synchronous, the timeline and how far replicas trail. */
export function ClusterCards({ clusters, units }: { clusters: ClusterView[]; units: UnitSnapshot[] }) {
  return (
    <div className="grid gap-3 md:grid-cols-2">
      {clusters.map((c) => {
        const unit = units.find((u) => u.key === unitKey("patroni", c.id));
        const standbys = c.members.filter((m) => m.name !== c.leader);
        const streaming = standbys.filter((m) => m.replicationState === "streaming").length;
        return (
          <Panel
            key={c.id}
            testId={`home-cluster-${c.id}`}
            name={
              <Link href={`/clusters/${encodeURIComponent(c.id)}`} className="text-sky-300 underline-offset-2 hover:underline">
                {c.name}
              </Link>
            }
            status={c.status}
            suspect={unit?.suspect}
            latencyMs={unit?.latencyMs ?? null}
            error={c.status !== "UP" ? (unit?.reason ?? null) : null}
          >
            <Facts
              items={[
                { label: "Leader", value: c.leader ?? "none", testId: `home-leader-${c.id}` },
                { label: "Sync standby", value: c.syncStandby ?? "none" },
                { label: "Timeline", value: c.timeline ?? "—" },
                { label: "Replicas streaming", value: `${streaming}/${standbys.length}` },
                { label: "Worst lag", value: worstLag(c) },
                ...(c.paused ? [{ label: "Patroni", value: "paused (no automatic failover)" }] : []),
              ]}
            />
          </Panel>
        );
      })}
    </div>
  );
}

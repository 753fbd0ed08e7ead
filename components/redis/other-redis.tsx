import { ReplicationTable, type RedisNodeRow } from "@/components/redis/replication-table";
import type { TypedUnit } from "@/lib/unit-data";

/** Redis instances no Sentinel group names, as they describe themselves. */
export function OtherRedis({ instances, addressOf }: { instances: TypedUnit<"redis">[]; addressOf: ReadonlyMap<string, string> }) {
  if (instances.length === 0) return null;
  const rows: RedisNodeRow[] = instances.map((u) => ({
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
}

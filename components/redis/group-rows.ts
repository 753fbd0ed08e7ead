import type { RedisData, SentinelData, TypedUnit } from "@/lib/unit-data";
import type { RedisNodeRow } from "./replication-table";

/**
 * The nodes of a Sentinel group: the master the sentinels name and the replicas they list, each
 * matched (by host:port) to the configured Redis instance probed there, with offsets from the
 * master's own INFO. Configured instances that say they replicate from this master are added too.
 */
export function groupRows(data: SentinelData, redis: TypedUnit<"redis">[], addressOf: ReadonlyMap<string, string>): RedisNodeRow[] {
  const master = data.master ?? data.sentinels.find((s) => s.master)?.master ?? null;
  const view =
    [...data.sentinels].filter((s) => s.ok && s.master === master).sort((a, b) => b.replicaNodes.length - a.replicaNodes.length)[0] ?? null;
  const unitAt = (address: string) => redis.find((u) => addressOf.get(u.targetId) === address);
  const masterInfo: RedisData | null = master ? (unitAt(master)?.data ?? null) : null;

  const replicaAddrs = new Set(view?.replicaNodes.map((r) => r.address) ?? []);
  for (const u of redis) {
    const a = addressOf.get(u.targetId);
    if (a && a !== master && master && u.data?.masterAddress === master) replicaAddrs.add(a);
  }

  const row = (address: string, role: "master" | "replica"): RedisNodeRow => {
    const unit = unitAt(address);
    const link = masterInfo?.replicas.find((r) => r.address === address);
    return {
      address,
      instanceId: unit?.targetId ?? null,
      status: unit?.status ?? null,
      sentinelRole: role,
      sentinel: view?.replicaNodes.find((r) => r.address === address) ?? null,
      info: unit?.data ?? null,
      offsetLag: role === "replica" ? (link?.offsetLag ?? null) : null,
      lastAckSeconds: role === "replica" ? (link?.lagSeconds ?? null) : null,
    };
  };
  return [...(master ? [row(master, "master")] : []), ...[...replicaAddrs].sort().map((a) => row(a, "replica"))];
}

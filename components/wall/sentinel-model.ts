/** The Sentinel panel: each group's master, agreement and quorum, its replicas and the Redis nodes of its component. */
import type { Snapshot } from "@/lib/snapshot";
import type { Status } from "@/lib/status";
import { SEP, suspectOf, suspectSig, type SuspectView } from "./model-common";
import { unitsOfKind } from "@/lib/unit-data";

export interface RedisNodeModel {
  id: string;
  role: string | null;
  status: Status;
  suspect: SuspectView | null;
  memoryPct: number | null;
}

export interface SentinelModel {
  id: string;
  name: string;
  status: Status;
  suspect: SuspectView | null;
  master: string | null;
  agree: boolean;
  quorumOk: boolean | null;
  sentinelsOk: number;
  sentinelsTotal: number;
  replicas: { address: string; ok: boolean }[];
  redis: RedisNodeModel[];
  sig: string;
}

export function sentinelModels(s: Snapshot): SentinelModel[] {
  const redisUnits = unitsOfKind(s, "redis");
  return unitsOfKind(s, "sentinel")
    .map<SentinelModel>((u) => {
      const d = u.data;
      const views = d?.sentinels ?? [];
      const answering = views.find((v) => v.ok);
      const replicas = (answering?.replicaNodes ?? []).map((r) => ({
        address: r.address,
        ok: r.masterLinkStatus === "ok" && !r.flags.some((f) => f === "s_down" || f === "o_down" || f === "disconnected"),
      }));
      const redis = redisUnits
        .filter((r) => r.component === u.component)
        .map<RedisNodeModel>((r) => {
          const rd = r.data;
          const memoryPct = rd && rd.usedMemory !== null && rd.maxMemory ? (100 * rd.usedMemory) / rd.maxMemory : null;
          return { id: r.targetId, role: rd?.role ?? null, status: r.status, suspect: suspectOf(r.suspect), memoryPct };
        });
      const suspect = suspectOf(u.suspect);
      const sentinelsOk = views.filter((v) => v.ok).length;
      return {
        id: u.targetId,
        name: u.label,
        status: u.status,
        suspect,
        master: d?.master ?? null,
        agree: d?.agree ?? false,
        quorumOk: d?.quorumOk ?? null,
        sentinelsOk,
        sentinelsTotal: views.length,
        replicas,
        redis,
        sig: [
          u.label,
          u.status,
          suspectSig(suspect),
          d?.master,
          d?.agree,
          d?.quorumOk,
          sentinelsOk,
          views.length,
          ...replicas.map((r) => `${r.address}${r.ok}`),
          // Memory moves every poll; the row shows whole percent only.
          ...redis.map((r) => `${r.id}${r.role}${r.status}${suspectSig(r.suspect)}${r.memoryPct === null ? "" : Math.round(r.memoryPct)}`),
        ].join(SEP),
      };
    });
}

import { describe, expect, it } from "vitest";
import type { RedisData, SentinelData, TypedUnit } from "@/lib/unit-data";
import { groupRows } from "./group-rows";

const sentinel = (master: string, replicas: string[]) => ({
  address: "s", ok: true, master, flags: ["master"], replicas: replicas.length, otherSentinels: 2, quorum: 2, configEpoch: 1,
  failoverTimeoutMs: 1, knownSentinels: 2, ckquorum: null, latencyMs: 1, error: null,
  replicaNodes: replicas.map((address) => ({ address, flags: ["slave"], masterLinkStatus: "ok", replOffset: 90 })),
});
const info = (v: Partial<RedisData>): RedisData => ({
  role: "master", pingMs: 1, connectMs: 0, connectedReplicas: 0, masterReplOffset: 100, replicas: [], masterLinkStatus: null, masterAddress: null,
  slaveReplOffset: null, slaveReadReplOffset: null, masterLastIoSecondsAgo: null, usedMemory: 1, maxMemory: 0, ...v,
});
const unit = (id: string, data: RedisData) => ({ key: `redis:${id}`, kind: "redis", targetId: id, status: "UP", data }) as unknown as TypedUnit<"redis">;

describe("groupRows", () => {
  it("matches the sentinels' master and replicas to probed instances, with the master's offset lag", () => {
    const data: SentinelData = { masterName: "m", master: "h:2", agree: true, quorumOk: true, sentinels: [sentinel("h:2", ["h:1"])] };
    const units = [
      unit("r1", info({ role: "slave", masterAddress: "h:2", masterLinkStatus: "up", slaveReplOffset: 95 })),
      unit("r2", info({ replicas: [{ address: "h:1", state: "online", offset: 95, offsetLag: 5, lagSeconds: 0 }] })),
    ];
    const rows = groupRows(data, units, new Map([["r1", "h:1"], ["r2", "h:2"]]));
    expect(rows.map((r) => [r.address, r.instanceId, r.sentinelRole, r.offsetLag, r.sentinel?.masterLinkStatus ?? null])).toEqual([
      ["h:2", "r2", "master", null, null],
      ["h:1", "r1", "replica", 5, "ok"],
    ]);
  });

  it("adds a configured replica the sentinels do not list yet", () => {
    const data: SentinelData = { masterName: "m", master: "h:2", agree: true, quorumOk: true, sentinels: [sentinel("h:2", [])] };
    const rows = groupRows(data, [unit("r3", info({ role: "slave", masterAddress: "h:2" }))], new Map([["r3", "h:3"]]));
    expect(rows.map((r) => r.address)).toEqual(["h:2", "h:3"]);
  });
});

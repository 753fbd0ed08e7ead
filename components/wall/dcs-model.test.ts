import { describe, expect, it } from "vitest";
import type { Snapshot, UnitSnapshot } from "@/lib/snapshot";
import { dcsModels } from "./dcs-model";

const NOW = 1_800_000_000_000;
const endpoint = (i: number, over: Record<string, unknown> = {}) => ({
  endpoint: `127.0.0.1:${2477 + 2 * i}`,
  member: `etcd${i}`,
  healthy: true,
  leader: "etcd1",
  raftTerm: 4,
  raftIndex: 100,
  dbSizeBytes: 20480,
  version: "3.4.23",
  errors: [],
  error: null,
  latencyMs: 1,
  ...over,
});

function snapshotWith(data: unknown, over: Partial<UnitSnapshot> = {}): Snapshot {
  const unit: UnitSnapshot = {
    key: "etcd:c1", kind: "etcd", targetId: "c1", component: "database", label: "c1", status: "UP", raw: "UP", suspect: null, since: NOW, reason: "leader etcd1",
    latencyMs: 2, lastProbeAt: NOW, data, ...over,
  };
  return { version: 1, at: NOW, title: "t", overall: { status: "HEALTHY", reasons: [] }, components: [], findings: [], units: [unit], clusters: [], events: [], monitor: { startedAt: NOW, units: 1, lastEvaluationAt: NOW } };
}

describe("the DCS line under a Patroni cluster", () => {
  it("lists members with the leader marked, the quorum and the raft term, keyed by its cluster", () => {
    const data = { endpoints: [endpoint(1), endpoint(2), endpoint(3)], members: [], leader: "etcd1", raftTerm: 4, voters: 3, quorum: 2, healthy: 3 };
    const [m] = dcsModels(snapshotWith(data));
    expect(m).toMatchObject({ clusterId: "c1", status: "UP", leader: "etcd1", raftTerm: 4, healthy: 3, voters: 3 });
    expect(m!.members).toEqual([
      { name: "etcd1", state: "healthy", leader: true },
      { name: "etcd2", state: "healthy", leader: false },
      { name: "etcd3", state: "healthy", leader: false },
    ]);
  });

  it("shows a member down and one unhealthy, and changes its sig when they change", () => {
    const healthy = { endpoints: [endpoint(1), endpoint(2), endpoint(3)], members: [], leader: "etcd1", raftTerm: 4, voters: 3, quorum: 2, healthy: 3 };
    const degraded = {
      ...healthy,
      endpoints: [endpoint(1), endpoint(2, { healthy: false, leader: null }), endpoint(3, { member: "etcd3", healthy: null, error: "connection refused" })],
      healthy: 1,
    };
    const a = dcsModels(snapshotWith(healthy))[0]!;
    const b = dcsModels(snapshotWith(degraded, { status: "DEGRADED", reason: "member etcd3 does not answer" }))[0]!;
    expect(b.members.map((x) => x.state)).toEqual(["healthy", "unhealthy", "down"]);
    expect(b.sig).not.toBe(a.sig);
  });

  it("before any data: no members, unknown term, never a made-up quorum", () => {
    const [m] = dcsModels(snapshotWith(null, { status: "NO_DATA", raw: "NO_DATA" }));
    expect(m).toMatchObject({ members: [], raftTerm: null, healthy: 0, voters: 0, leader: null, status: "NO_DATA" });
  });
});

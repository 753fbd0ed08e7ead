import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { etcdHealth, healthyPatroni, type EtcdMemberHealth } from "@/e2e/lab/inspect";
import { fault } from "@/e2e/lab/lab";
import { waitFor } from "@/e2e/lab/proc";
import { ETCD_MEMBERS, paths } from "@/e2e/lab/topology";
import { loadConfig, type Config } from "@/server/config/load";
import { judgeEtcd } from "@/server/health/dcs";
import { Runtime } from "@/server/runtime/runtime";
import type { Snapshot } from "@/lib/snapshot";
import { unitKey } from "@/lib/keys";
import { probeEtcd, type EtcdTarget } from "./etcd";

/**
 * The etcd collector and the DCS rules against the lab's 3-member etcd, checked against etcdctl (the
 * component's own client, not the collector's HTTP). Run under the lab lock:
 *   flock /tmp/hacr-lab.lock npx vitest run --project lab server/collectors/etcd.lab.test.ts
 * Every fault is undone in `finally`; the file ends with etcd whole and Patroni healthy.
 */

const DEADLINE_MS = 800;
let config: Config;
let target: EtcdTarget;
const probe = () => probeEtcd(target, AbortSignal.timeout(DEADLINE_MS));
const observe = (r: Awaited<ReturnType<typeof probe>>) => ({ unitKey: "etcd:labcluster", kind: "etcd" as const, targetId: "labcluster", component: "database", at: Date.now(), result: r });

const allHealthy = async () => {
  const h = await etcdHealth();
  return h && h.length === ETCD_MEMBERS.length && h.every((m) => m.healthy && m.leader) ? h : undefined;
};
const waitEtcdWhole = () => waitFor("all etcd members healthy (etcdctl)", allHealthy, 30_000, 250);
const waitPatroniHealthy = () => waitFor("a healthy Patroni cluster", async () => (await healthyPatroni()) !== undefined, 90_000, 250);

beforeAll(async () => {
  config = loadConfig(paths.config);
  const c = config.clusters[0]!;
  if (!c.dcs) throw new Error("the lab's dashboard config names no dcs for its cluster");
  target = { ...c, dcs: c.dcs };
  await waitEtcdWhole();
});

afterAll(async () => {
  // Whatever happened above: every member running and resumed, Patroni healthy for the next file.
  await fault("resume", "etcd").catch(() => {});
  await fault("start", "etcd").catch(() => {});
  await waitEtcdWhole();
  await waitPatroniHealthy();
}, 120_000);

describe("etcd collector against the lab", () => {
  it("reads the healthy 3-member cluster as etcdctl does: members, ids, leader, raft term, health", async () => {
    const oracle: EtcdMemberHealth[] = await waitEtcdWhole();
    const r = await probe();
    expect(r.ok).toBe(true);
    const d = r.data!;
    expect(d.members.map((m) => [m.name, m.id]).sort()).toEqual(oracle.map((m) => [m.name, m.id]).sort());
    expect(d.endpoints.map((e) => [e.member, e.healthy])).toEqual(oracle.map((m) => [m.name, m.healthy]));
    expect(d.leader).toBe(oracle[0]!.leader);
    expect(d.raftTerm).toBe(Math.max(...oracle.map((m) => m.raftTerm ?? 0)));
    expect([d.voters, d.quorum, d.healthy]).toEqual([3, 2, 3]);
    for (const e of d.endpoints) expect(e.dbSizeBytes).toBeGreaterThan(0);
    expect(judgeEtcd(observe(r))).toMatchObject({ status: "UP" });
  });

  it("one member killed: DEGRADED naming it, quorum kept; etcdctl agrees", async () => {
    const oracle = await waitEtcdWhole();
    const victim = oracle.find((m) => m.name !== m.leader)!.name;
    try {
      await fault("kill", victim);
      const r = await probe();
      const seen = await etcdHealth();
      expect(seen?.filter((m) => m.healthy).map((m) => m.name)).toEqual(oracle.filter((m) => m.name !== victim).map((m) => m.name));
      expect(seen?.find((m) => m.name === victim)?.healthy).toBe(false);
      expect(r.ok).toBe(true);
      expect([r.data!.healthy, r.data!.quorum, r.data!.leader]).toEqual([2, 2, oracle[0]!.leader]);
      const j = judgeEtcd(observe(r));
      expect(j.status).toBe("DEGRADED");
      expect(j.reason).toContain(`member ${victim} (`);
      expect(j.reason).toContain("quorum kept");
    } finally {
      await fault("start", victim);
    }
    await waitEtcdWhole();
  });
});

describe("the DCS lost, through the runtime", () => {
  let runtime: Runtime;
  const key = unitKey("etcd", "labcluster");
  const waitSnapshot = (what: string, pred: (s: Snapshot) => boolean, timeoutMs: number) =>
    waitFor(what, () => (pred(runtime.current()) ? runtime.current() : false), timeoutMs, 50);

  beforeAll(async () => {
    await waitPatroniHealthy();
    runtime = new Runtime({ config, sink: null });
    await runtime.start();
    await waitSnapshot("the DCS unit UP", (s) => s.units.find((u) => u.key === key)?.status === "UP", 15_000);
  });
  afterAll(async () => {
    await runtime?.stop();
  });

  for (const verb of ["kill", "stop"] as const) {
    it(`${verb} every etcd member: overall CRITICAL with the DCS as the cause and Patroni's ttl; etcdctl agrees`, async () => {
      // A CRITICAL left by an earlier suite (two Redis masters until Sentinel converts one) must not pass for ours.
      await waitSnapshot("no CRITICAL before the fault", (s) => s.overall.status !== "CRITICAL", 30_000);
      const dcsReason = (s: Snapshot) => s.overall.reasons.find((r) => r.startsWith("Database (Primary) is DOWN: DCS"));
      const t0 = Date.now();
      let critical: Snapshot;
      try {
        await fault(verb, "etcd");
        critical = await waitSnapshot("overall CRITICAL for the DCS", (s) => s.overall.status === "CRITICAL" && dcsReason(s) !== undefined, 15_000);
        const oracle = await etcdHealth();
        console.log(`etcd ${verb}: CRITICAL after ${Date.now() - t0} ms: ${dcsReason(critical)}`);
        expect(oracle?.some((m) => m.healthy) ?? false).toBe(false);
      } finally {
        await fault(verb === "kill" ? "start" : "resume", "etcd");
      }
      const first = dcsReason(critical)!;
      expect(first).toMatch(/^Database \(Primary\) is DOWN: DCS labcluster: etcd (unreachable|has no quorum)/);
      expect(first).toContain("Patroni cannot renew the leader key; the leader will demote itself within ttl (10 s) unless failsafe_mode is on (it is off)");
      expect(critical.units.find((u) => u.key === key)?.status).toBe("DOWN");
      await waitEtcdWhole();
      await waitPatroniHealthy();
      await waitSnapshot("the DCS unit UP again", (s) => s.units.find((u) => u.key === key)?.status === "UP", 15_000);
    });
  }
});

import { beforeAll, describe, expect, it } from "vitest";
import { fault, drain, up } from "./lab";
import {
  appHealth, haproxyRwTarget, haproxyStats, healthyPatroni, patroniCluster, patroniNode, redisGet, redisReplication, sentinelMasters,
  tcpPing, vipHolder, vrrpStates, redisMasterPort,
} from "./inspect";
import { waitFor } from "./proc";
import { APPS, HAPROXY, PG_NODES, VRRP_INSTANCES, VRRP_NODES } from "./topology";

/** Against the real lab: these assert what each component says about itself through its own interface. */

beforeAll(async () => {
  await up(); // idempotent: starts what is missing and waits until the whole lab is healthy
});

const restOf = (name: string) => PG_NODES.find((n) => n.name === name)!.rest;
const pgPortOf = (name: string) => PG_NODES.find((n) => n.name === name)!.pg;

async function waitHealthyCluster(timeoutMs = 60_000) {
  return waitFor(
    "Patroni leader with two streaming replicas and a sync standby",
    async () => {
      const h = await healthyPatroni();
      return h && { cluster: { members: h.members }, leader: h.leader, repl: h.replication };
    },
    timeoutMs,
    250,
  );
}

describe("lab after up", () => {
  it("Patroni has one leader, two streaming replicas and one sync standby", async () => {
    const { cluster, leader, repl } = await waitHealthyCluster();
    expect(cluster.members).toHaveLength(3);
    expect(cluster.members.filter((m) => m.role === "leader")).toHaveLength(1);
    expect(cluster.members.filter((m) => m.role === "sync_standby")).toHaveLength(1);
    expect(repl.map((r) => r.state)).toEqual(["streaming", "streaming"]);
    expect(repl.filter((r) => r.sync_state === "sync")).toHaveLength(1);
    // The leader's own PostgreSQL agrees that it is the primary.
    expect((await patroniNode(restOf(leader.name)))?.role).toBe("master");
  });

  it("HAProxy's read-write frontend reaches the Patroni leader", async () => {
    const leader = (await patroniCluster())!.members.find((m) => m.role === "leader")!;
    const rw = await haproxyRwTarget();
    expect(rw).toEqual({ port: pgPortOf(leader.name), inRecovery: false });
  });

  it("the three Sentinels agree on the Redis master, and the replica is linked to it", async () => {
    const masters = await sentinelMasters();
    const values = Object.values(masters);
    expect(values).toHaveLength(3);
    expect(new Set(values).size).toBe(1);
    const masterPort = Number(values[0]!.split(":")[1]);
    expect((await redisReplication(masterPort))?.role).toBe("master");
    expect(Number((await redisReplication(masterPort))?.connected_slaves)).toBe(1);
  });

  it("exactly one keepalived node is MASTER per instance and the VIP answers there", () => {
    const states = vrrpStates();
    for (const vi of VRRP_INSTANCES) {
      const mine = states.filter((s) => s.instance === vi.name);
      expect(mine.map((s) => s.state).sort()).toEqual(["BACKUP", "MASTER"]);
      const master = mine.find((s) => s.state === "MASTER")!;
      expect(vipHolder(vi.vip)).toBe(master.node);
    }
  });

  it("trading engines answer /health 200 and PONG, directly and through HAProxy", async () => {
    expect(await appHealth("te1")).toBe(200);
    expect(await appHealth("te2")).toBe(200);
    expect(await tcpPing(APPS.te1.tcp)).toBe("PONG");
    expect(await tcpPing(APPS.te2.tcp)).toBe("PONG");
    expect(await tcpPing(HAPROXY.trading)).toBe("PONG");
    const rows = (await haproxyStats())!.filter((r) => r.pxname === "trading" && r.svname.startsWith("te"));
    expect(rows.map((r) => [r.svname, r.status, r.check_status])).toEqual([
      ["te1", "UP", "L7OK"],
      ["te2", "UP", "L7OK"],
    ]);
  });

  it("the market-data feeder keeps last_market_update fresh on the Redis master", async () => {
    const port = (await redisMasterPort())!;
    const v = Number(await redisGet(port, "last_market_update"));
    expect(Date.now() / 1000 - v).toBeLessThan(3);
  });
});

describe("faults", () => {
  it("drain moves every VIP off the MASTER node at runtime, undrain brings them back", async () => {
    const before = VRRP_INSTANCES.map((vi) => vipHolder(vi.vip));
    const master = before[0]!;
    const other = VRRP_NODES.find((n) => n.name !== master)!.name;
    drain(master, true);
    try {
      await waitFor(
        `VIPs to move to ${other}`,
        () => VRRP_INSTANCES.every((vi) => vipHolder(vi.vip) === other && vrrpStates().some((s) => s.instance === vi.name && s.node === other && s.state === "MASTER")),
        15_000,
      );
    } finally {
      drain(master, false);
    }
    await waitFor(`VIPs back on ${master}`, () => VRRP_INSTANCES.every((vi) => vipHolder(vi.vip) === master), 15_000);
  });

  it("after kill of the leader, Patroni elects another and HAProxy follows; the old leader rejoins", async () => {
    const { leader: old } = await waitHealthyCluster();
    await fault("kill", "leader");
    const t0 = Date.now();
    const next = await waitFor(
      "a new leader",
      async () => (await patroniCluster())?.members.find((m) => m.role === "leader" && m.name !== old.name),
      45_000,
      250,
    );
    const electedAfterS = (Date.now() - t0) / 1000;
    await waitFor("HAProxy pg_rw to reach the new leader", async () => (await haproxyRwTarget())?.port === pgPortOf(next.name), 15_000, 250);
    console.log(`new leader ${next.name} after ${electedAfterS.toFixed(1)} s`);

    await fault("start", old.name);
    const { cluster } = await waitHealthyCluster(90_000);
    expect(cluster.members.find((m) => m.name === old.name)?.role).not.toBe("leader");
  });

  it("a frozen trading engine fails HAProxy's PING/PONG check while the other keeps serving", async () => {
    await fault("stop", "te1");
    try {
      await waitFor(
        "HAProxy to mark te1 DOWN",
        async () => (await haproxyStats())?.find((r) => r.pxname === "trading" && r.svname === "te1")?.status === "DOWN",
        15_000,
        250,
      );
      expect(await tcpPing(HAPROXY.trading)).toBe("PONG");
    } finally {
      await fault("resume", "te1");
    }
    await waitFor("te1 UP again", async () => (await haproxyStats())?.find((r) => r.pxname === "trading" && r.svname === "te1")?.status === "UP", 15_000, 250);
  });
});

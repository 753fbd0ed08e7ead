import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { loadConfig, type Config } from "@/server/config/load";
import { fault, up } from "@/e2e/lab/lab";
import { healthyPatroni, patroniCluster, sentinelMasters } from "@/e2e/lab/inspect";
import { waitFor } from "@/e2e/lab/proc";
import { HOST, SENTINEL_AUTH, SENTINELS, REDIS_MASTER_NAME, paths } from "@/e2e/lab/topology";
import type { Snapshot } from "@/lib/snapshot";
import { Runtime } from "./runtime";

/**
 * The whole server-side pipeline against the real lab: collectors → scheduler → health → snapshot.
 * Each test leaves the lab healthy (leader + 2 streaming replicas + sync standby) for the next.
 */

let config: Config;
let runtime: Runtime;
const seen: Snapshot[] = [];

async function labHealthy() {
  await waitFor(
    "a healthy Patroni cluster",
    async () => (await healthyPatroni()) !== undefined,
    120_000,
    250,
  );
}

const unit = (s: Snapshot, key: string) => s.units.find((u) => u.key === key)!;
const waitSnapshot = (what: string, pred: (s: Snapshot) => boolean, timeoutMs = 30_000) =>
  waitFor(what, () => (pred(runtime.current()) ? runtime.current() : false), timeoutMs, 50);

beforeAll(async () => {
  await up();
  await labHealthy();
  config = loadConfig(paths.config);
  // Sentinel groups are polled every 30 s here, so only a pushed event can show a failover sooner.
  for (const s of config.sentinels) s.intervalMs = 30_000;
  runtime = new Runtime({ config, sink: null });
  runtime.subscribe((s) => seen.push(s));
  await runtime.start();
}, 180_000);

afterAll(async () => {
  await runtime?.stop();
});

describe("runtime against the lab", () => {
  it("reports the healthy lab as HEALTHY with every unit UP and no findings", async () => {
    const s = await waitSnapshot("every unit UP", (x) => x.units.every((u) => u.status === "UP"), 30_000).catch(() => runtime.current());
    expect(s.units.filter((u) => u.status !== "UP").map((u) => `${u.key}: ${u.status} ${u.reason ?? ""}`)).toEqual([]);
    expect(s.overall.status).toBe("HEALTHY");
    expect(s.findings).toEqual([]);
    const cluster = s.clusters[0]!;
    expect(cluster.leader).toBe((await patroniCluster())!.members.find((m) => m.role === "leader")!.name);
    expect(cluster.members.filter((m) => m.lagBytes !== null && m.lagSeconds !== null)).toHaveLength(2);
  });

  it("kill of the Patroni leader: suspicion at once, then the fault, then the new leader", async () => {
    const old = runtime.current().clusters[0]!.leader!;
    const key = `postgres:labcluster/${old}`;
    const t0 = Date.now();
    await fault("kill", old);
    const suspect = await waitSnapshot("suspicion on the old leader's node", (s) => unit(s, key).suspect !== null || unit(s, key).status === "DOWN", 5_000);
    const suspectAfter = Date.now() - t0;
    await waitSnapshot("the old leader's node DOWN", (s) => unit(s, key).status === "DOWN", 10_000);
    const downAfter = Date.now() - t0;
    const after = await waitSnapshot("a new leader", (s) => !!s.clusters[0]!.leader && s.clusters[0]!.leader !== old, 45_000);
    console.log(`leader ${old} killed: suspect after ${suspectAfter} ms, DOWN after ${downAfter} ms, new leader ${after.clusters[0]!.leader} after ${Date.now() - t0} ms`);
    expect(unit(suspect, key).raw).toBe("DOWN");
    expect(after.clusters[0]!.members.find((m) => m.name === old)!.inRecovery).toBeNull();
    await fault("start", old);
    await labHealthy();
    await waitSnapshot("the old leader back as a replica", (s) => unit(s, key).status === "UP" && s.clusters[0]!.members.find((m) => m.name === old)!.inRecovery === true, 60_000);
  });

  it("a frozen replica turns DOWN without delaying any other unit", async () => {
    const s0 = runtime.current();
    const replica = s0.clusters[0]!.members.find((m) => m.role === "replica")!.name;
    const key = `postgres:labcluster/${replica}`;
    await fault("stop", replica);
    try {
      await waitSnapshot("the frozen replica DOWN", (s) => unit(s, key).status === "DOWN", 15_000);
      // Every other unit was probed within the last ~2 intervals and answered quickly.
      const s = runtime.current();
      const others = s.units.filter((u) => u.key !== key && u.kind !== "sentinel");
      for (const u of others) {
        expect(s.at - (u.lastProbeAt ?? 0), u.key).toBeLessThan(2_500);
      }
      expect(others.filter((u) => u.kind === "http" || u.kind === "tcp").every((u) => (u.latencyMs ?? 0) < 500)).toBe(true);
    } finally {
      await fault("resume", replica);
    }
    await waitSnapshot("the replica UP again", (s) => unit(s, key).status === "UP", 30_000);
  });

  it("a Sentinel failover shows through the pushed event, long before the next 30 s poll", async () => {
    const before = Object.values(await sentinelMasters())[0]!;
    const sentinel = new Redis({ host: HOST, port: SENTINELS[0].port, ...SENTINEL_AUTH.admin, lazyConnect: true });
    await sentinel.connect();
    const t0 = Date.now();
    try {
      await sentinel.call("SENTINEL", "FAILOVER", REDIS_MASTER_NAME);
    } finally {
      sentinel.disconnect();
    }
    const s = await waitSnapshot(
      "the new Redis master in the snapshot",
      (x) => x.events.some((e) => e.type === "+switch-master" && e.at >= t0) && JSON.stringify(unit(x, "sentinel:labredis").data ?? {}).includes("master") && !JSON.stringify((unit(x, "sentinel:labredis").data as { master?: string })?.master ?? "").includes(before),
      8_000,
    );
    console.log(`Sentinel failover seen in the snapshot after ${Date.now() - t0} ms (sentinel poll interval 30 s)`);
    expect((unit(s, "sentinel:labredis").data as { master: string }).master).not.toBe(before);
    // Let the old master rejoin as a replica before anything else uses the lab.
    await waitFor("sentinels agree and the old master is a replica", async () => new Set(Object.values(await sentinelMasters())).size === 1, 30_000, 500);
  });
});

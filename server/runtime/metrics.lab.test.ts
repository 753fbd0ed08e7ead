import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { loadConfig, type Config } from "@/server/config/load";
import { up } from "@/e2e/lab/lab";
import { redisMasterPort, sentinelMasters } from "@/e2e/lab/inspect";
import { nodeHasAddress } from "@/e2e/lab/netns";
import { waitFor } from "@/e2e/lab/proc";
import { HOST, REDIS_MASTER_NAME, SENTINEL_AUTH, SENTINELS, VRRP_INSTANCES, VRRP_NODES, paths } from "@/e2e/lab/topology";
import { openStore, type Store } from "@/server/store";
import { toPrometheus } from "./metrics";
import { gatherMetricsExtras } from "./metrics-extras";
import { promtool } from "./promtool-testing";
import { Runtime } from "./runtime";

/**
 * /api/metrics' exposition of the real lab: promtool passes it, and the VRRP and Redis roles it
 * exports match oracles the dashboard does not read (`ip -n <netns> addr` for the VIP, Sentinel for
 * the Redis master), also across a Sentinel failover.
 * Run under the lab lock: flock /tmp/hacr-lab.lock bash -c 'npx tsx e2e/lab/cli.ts up && npx vitest run --project lab server/runtime/metrics.lab.test.ts; npx tsx e2e/lab/cli.ts down'
 */

let config: Config;
let runtime: Runtime;
let store: Store;

const scrape = async () => toPrometheus(runtime.current(), await gatherMetricsExtras({ config, getStore: async () => store, now: Date.now() }));
/** label sets of the rows of `name` whose value is 1. */
const ones = (text: string, name: string) =>
  text
    .split("\n")
    .filter((l) => l.startsWith(`${name}{`) && l.endsWith("} 1"))
    .map((l) => Object.fromEntries([...l.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!])));
const redisNodeOfPort = (port: number) => config.redis.find((r) => new URL(r.url).port === String(port))!.id;
const exportedRedisMasters = (text: string) => ones(text, "ha_redis_role").filter((l) => l.role === "master").map((l) => l.node).sort();

beforeAll(async () => {
  await up();
  config = loadConfig(paths.config);
  store = await openStore({ memory: true });
  runtime = new Runtime({ config, sink: null });
  await runtime.start();
  await waitFor("every unit UP", () => runtime.current().units.every((u) => u.status === "UP"), 60_000, 100);
}, 180_000);

afterAll(async () => {
  await runtime?.stop();
  await store?.close();
});

describe("/api/metrics on the lab", () => {
  it("passes promtool check metrics with every family present", async () => {
    const text = await scrape();
    const r = promtool(["check", "metrics"], text);
    expect(r).toEqual({ code: 0, output: "" });
    for (const f of ["ha_alerts_firing", "ha_notifications_total", "ha_sla_budget_remaining_seconds", "ha_finding_active", "ha_vrrp_state", "ha_redis_role"]) {
      expect(text).toContain(`# TYPE ${f} `);
    }
    expect(text).not.toContain("# omitted");
  });

  it("VRRP: the one MASTER of each instance is the node that has its VIP configured", async () => {
    const text = await scrape();
    for (const vi of VRRP_INSTANCES) {
      const holder = VRRP_NODES.filter((n) => nodeHasAddress(n.netns, vi.vip)).map((n) => n.name);
      const masters = ones(text, "ha_vrrp_state").filter((l) => l.instance === vi.name && l.state === "MASTER").map((l) => l.node);
      expect(masters, vi.name).toEqual(holder);
      expect(ones(text, "ha_vrrp_state").filter((l) => l.instance === vi.name).map((l) => l.node).sort()).toEqual(VRRP_NODES.map((n) => n.name).sort());
    }
  });

  it("Redis: the one master is Sentinel's, before and after a Sentinel failover", async () => {
    const before = redisNodeOfPort((await redisMasterPort())!);
    expect(exportedRedisMasters(await scrape())).toEqual([before]);
    const sentinel = new Redis({ host: HOST, port: SENTINELS[0].port, ...SENTINEL_AUTH.admin, lazyConnect: true });
    await sentinel.connect();
    try {
      await sentinel.call("SENTINEL", "FAILOVER", REDIS_MASTER_NAME);
    } finally {
      sentinel.disconnect();
    }
    await waitFor("sentinels agree on a new master", async () => {
      const m = new Set(Object.values(await sentinelMasters()));
      return m.size === 1 && (await redisMasterPort()) !== undefined && redisNodeOfPort((await redisMasterPort())!) !== before;
    }, 30_000, 250);
    const after = redisNodeOfPort((await redisMasterPort())!);
    // The old master is demoted a moment after Sentinel switches, and its connection drops as it is
    // (unknown for a poll): wait for the exporter to show it as a replica of the new master.
    const seen = new Set<string>();
    await waitFor("the exporter showing the new master and the old one as a replica", async () => {
      const t = await scrape();
      const old = ones(t, "ha_redis_role").filter((l) => l.node === before).map((l) => l.role).join();
      seen.add(`${exportedRedisMasters(t).join("+")} / ${before}=${old}`);
      return exportedRedisMasters(t).join() === after && old === "replica";
    }, 30_000, 250);
    console.log(`exported during the failover (masters / old master's role): ${[...seen].join(", ")}`);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, type Config } from "@/server/config/load";
import { drain, fault, partition, partitioned, up } from "@/e2e/lab/lab";
import { vipHolder, vrrpStates } from "@/e2e/lab/inspect";
import { nodeHasAddress } from "@/e2e/lab/netns";
import { waitFor } from "@/e2e/lab/proc";
import { VRRP_INSTANCES, VRRP_NODES, paths } from "@/e2e/lab/topology";
import type { VrrpData } from "@/server/collectors/vrrp";
import type { Snapshot } from "@/lib/snapshot";
import { Runtime } from "./runtime";

/**
 * keepalived faults through the whole pipeline (collectors → health → snapshot), each verdict checked
 * against oracles the dashboard does not read: `ip -n <netns> addr` for where the VIP is configured,
 * and a request to the VIP from the bridge namespace for who answers. Each test leaves ka1 MASTER.
 * Run under the lab lock: flock /tmp/hacr-lab.lock bash -c 'npx tsx e2e/lab/cli.ts up && npx vitest run --project lab server/runtime/vrrp.lab.test.ts; npx tsx e2e/lab/cli.ts down'
 */

let config: Config;
let runtime: Runtime;
const INTERVAL_MS = 1000;

const vrrpUnits = (s: Snapshot) => s.units.filter((u) => u.kind === "vrrp").map((u) => ({ key: u.key, d: u.data as VrrpData | null }));
const dataOf = (s: Snapshot, instance: string) => vrrpUnits(s).find((u) => u.d?.instance === instance)?.d ?? null;
const critical = (s: Snapshot, prefix: string) => s.findings.filter((f) => f.id.startsWith(prefix) && f.severity === "CRITICAL");
const waitSnapshot = (what: string, pred: (s: Snapshot) => boolean, timeoutMs = 30_000) =>
  waitFor(what, () => (pred(runtime.current()) ? runtime.current() : false), timeoutMs, 50);
/** Which nodes have the VIP configured on eth0, by `ip -n <netns> addr`. */
const configuredOn = (vip: string) => VRRP_NODES.filter((n) => nodeHasAddress(n.netns, vip)).map((n) => n.name);

/** ka1 MASTER everywhere by keepalived's files, the VIP configured only on ka1 and answering there, the dashboard agreeing, no VRRP finding. */
async function backToDefault(timeoutMs = 60_000) {
  await waitFor(
    "ka1 MASTER with the VIPs on ka1 only, and the dashboard agreeing",
    () =>
      VRRP_INSTANCES.every((vi) => {
        const d = dataOf(runtime.current(), vi.name);
        return (
          configuredOn(vi.vip).join() === "ka1" &&
          vipHolder(vi.vip) === "ka1" &&
          d?.masters.join() === "ka1" &&
          d.vipAnswer?.node === "ka1" &&
          !runtime.current().findings.some((f) => /^(split-brain|duplicate-vip|vip-answer):/.test(f.id))
        );
      }),
    timeoutMs,
    250,
  );
}

beforeAll(async () => {
  await up();
  config = loadConfig(paths.config);
  for (const s of config.sentinels) s.intervalMs = 30_000;
  expect(config.vrrp.every((v) => v.vipProbe), "the lab's dashboard config probes every VIP").toBe(true);
  runtime = new Runtime({ config, sink: null });
  await runtime.start();
  await backToDefault(60_000);
}, 180_000);

afterAll(async () => {
  partition(false);
  drain("ka1", false);
  await fault("start", "ka1").catch(() => {});
  await fault("start", "ka2").catch(() => {});
  await runtime?.stop();
});

describe("keepalived faults judged against the network's own view", () => {
  it("healthy: the node the dashboard says answers on each VIP is the one that answers in the namespace", async () => {
    const s = runtime.current();
    for (const vi of VRRP_INSTANCES) {
      const d = dataOf(s, vi.name)!;
      expect(d.vipAnswer).toMatchObject({ node: vipHolder(vi.vip), error: null });
      expect(configuredOn(vi.vip)).toEqual([d.vipAnswer!.node]);
    }
    console.log(`vip probe latency: ${VRRP_INSTANCES.map((vi) => `${vi.name} ${dataOf(s, vi.name)!.vipAnswer!.latencyMs} ms`).join(", ")}`);
  });

  it("drain ka1: the dashboard's VIP answer follows the address to ka2 as the namespace sees it, then back", async () => {
    const t0 = Date.now();
    drain("ka1", true);
    try {
      await waitFor(
        "the dashboard's answer and the namespace's both ka2 on every VIP",
        () => VRRP_INSTANCES.every((vi) => dataOf(runtime.current(), vi.name)?.vipAnswer?.node === "ka2" && vipHolder(vi.vip) === "ka2"),
        15_000,
        100,
      );
      console.log(`drain ka1: the VIP answers as ka2 after ${Date.now() - t0} ms`);
      for (const vi of VRRP_INSTANCES) {
        expect(configuredOn(vi.vip)).toEqual(["ka2"]);
        expect(dataOf(runtime.current(), vi.name)!.masters).toEqual(["ka2"]);
      }
      // A clean failover: nothing lasting enough to be CRITICAL.
      expect(runtime.current().findings.filter((f) => f.severity === "CRITICAL")).toEqual([]);
    } finally {
      drain("ka1", false);
    }
    await backToDefault();
  });

  it("SIGKILL of the VRRP MASTER: a CRITICAL possible duplicate VIP while ip addr shows the VIP on both nodes; cleared by a restart", async () => {
    const master = vrrpStates().find((s) => s.instance === VRRP_INSTANCES[0].name && s.state === "MASTER")?.node;
    expect(master).toBe("ka1");
    const t0 = Date.now();
    await fault("kill", "vrrp-master");
    try {
      const s = await waitSnapshot("a CRITICAL duplicate-VIP finding on every instance", (x) => critical(x, "duplicate-vip:").length === VRRP_INSTANCES.length, 12 * INTERVAL_MS);
      const detectedMs = Date.now() - t0;
      // The oracle: the killed keepalived left its addresses, and the peer added them too.
      await waitFor("the VIP configured on both nodes", () => VRRP_INSTANCES.every((vi) => configuredOn(vi.vip).join() === "ka1,ka2"), 5_000, 100);
      const f = critical(s, "duplicate-vip:").find((x) => x.id.endsWith("/ka1"));
      expect(f?.title).toBe(
        `Possible duplicate VIP: ka1's keepalived stopped as MASTER; its VIP ${VRRP_INSTANCES.find((vi) => f!.id.includes(vi.name.toLowerCase().replace("_", "-")))!.vip} may still be configured there while ka2 holds it`,
      );
      expect(s.overall.status).toBe("CRITICAL");
      console.log(`SIGKILL ka1: duplicate-VIP CRITICAL after ${detectedMs} ms (${Math.ceil(detectedMs / INTERVAL_MS)} polls); VIP answers as ${VRRP_INSTANCES.map((vi) => vipHolder(vi.vip)).join(", ")}`);
      // Who the dashboard says answers is who answers in the namespace.
      await waitFor("the dashboard's VIP answer equal to the namespace's", () => VRRP_INSTANCES.every((vi) => dataOf(runtime.current(), vi.name)?.vipAnswer?.node === vipHolder(vi.vip)), 5_000, 100);
    } finally {
      await fault("start", "ka1");
    }
    const t1 = Date.now();
    await backToDefault();
    console.log(`restart ka1: duplicate VIP cleared, VIPs only on ka1, after ${Date.now() - t1} ms`);
  });

  it("VRRP partition: both nodes MASTER, the split-brain finding CRITICAL, ip addr agrees; healed, one holder again", async () => {
    const t0 = Date.now();
    partition(true);
    try {
      expect(partitioned()).toBe(true);
      const s = await waitSnapshot("a CRITICAL split brain on every instance", (x) => critical(x, "split-brain:").length === VRRP_INSTANCES.length, 15 * INTERVAL_MS);
      console.log(`partition: split brain CRITICAL after ${Date.now() - t0} ms`);
      for (const vi of VRRP_INSTANCES) {
        expect(dataOf(s, vi.name)!.masters.sort()).toEqual(["ka1", "ka2"]);
        expect(configuredOn(vi.vip)).toEqual(["ka1", "ka2"]);
      }
      expect(s.overall.status).toBe("CRITICAL");
      expect(critical(s, "duplicate-vip:")).toEqual([]);
    } finally {
      partition(false);
    }
    expect(partitioned()).toBe(false);
    const t1 = Date.now();
    await backToDefault();
    console.log(`partition healed: one MASTER, VIPs only on ka1, after ${Date.now() - t1} ms`);
  });
});

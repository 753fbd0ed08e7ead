import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drain, fault } from "@/e2e/lab/lab";
import { keepalivedInstances, vipHolder } from "@/e2e/lab/inspect";
import { waitFor } from "@/e2e/lab/proc";
import { VRRP_DRAIN_WEIGHT, VRRP_INSTANCES, VRRP_NODES, VRRP_PRIORITY, paths } from "@/e2e/lab/topology";
import { loadConfig } from "@/server/config/load";
import type { VrrpTarget } from "./types";
import { probeVrrp, type VrrpData } from "./vrrp";

/**
 * The vrrp collector against the lab's two keepalived nodes (ka1 MASTER, ka2 BACKUP): healthy,
 * drained (base and effective priority checked against keepalived's own JSON dump), and ka2 killed or frozen, where only the heartbeat (scripts/keepalived-heartbeat.sh)
 * tells that its state file is stale. Needs a lab brought up with the heartbeat in keepalived.conf.
 * Run under the lab lock: flock /tmp/hacr-lab.lock npx vitest run --project lab <file>
 */
const CONFIG = paths.config;
const DEADLINE_MS = 1_000;

describe("vrrp collector against the lab", () => {
  const config = existsSync(CONFIG) ? loadConfig(CONFIG) : undefined;
  const targets = (): VrrpTarget[] => config?.vrrp ?? [];

  async function probeAll(): Promise<VrrpData[]> {
    const results = await Promise.all(targets().map((t) => probeVrrp(t, AbortSignal.timeout(DEADLINE_MS))));
    return results.map((r) => r.data!);
  }
  const node = (d: VrrpData, name: string) => d.nodes.find((n) => n.name === name)!;
  /** ka1 MASTER and ka2 BACKUP on every instance, both heartbeats fresh, the VIPs answering on ka1. */
  async function labDefault(): Promise<boolean> {
    const all = await probeAll();
    return (
      all.every((d) => d.masters.length === 1 && d.masters[0] === "ka1" && node(d, "ka2").state === "BACKUP") &&
      VRRP_INSTANCES.every((vi) => vipHolder(vi.vip) === "ka1")
    );
  }
  const backToDefault = () => waitFor("ka1 MASTER, ka2 BACKUP, VIPs on ka1", labDefault, 30_000, 250);

  beforeAll(backToDefault);
  afterAll(async () => {
    drain("ka1", false);
    await fault("start", "ka2");
    await backToDefault();
  });

  it("healthy: one MASTER per instance, both keepalived nodes reporting", async () => {
    const results = await Promise.all(targets().map((t) => probeVrrp(t, AbortSignal.timeout(DEADLINE_MS))));
    expect(results).toHaveLength(VRRP_INSTANCES.length);
    for (const r of results) {
      expect(r.ok, r.ok ? "" : r.error).toBe(true);
      expect(r.data?.masters).toEqual(["ka1"]);
      expect(r.data?.nodes.map((n) => [n.name, n.state, n.error])).toEqual([
        ["ka1", "MASTER", null],
        ["ka2", "BACKUP", null],
      ]);
      for (const n of r.data?.nodes ?? []) expect(n.heartbeatAgeMs).toBeLessThan(2_000);
    }
    console.log(`vrrp probe ${results[0]?.latencyMs} ms; heartbeat ages ms: ${results[0]?.data?.nodes.map((n) => `${n.name} ${n.heartbeatAgeMs}`).join(", ")}`);
  });

  /** Every instance's [node, base, effective] as the collector reads them, and as keepalived's own JSON dump says. */
  async function priorities() {
    const seen = (await probeAll()).flatMap((d) => d.nodes.map((n) => [d.instance, n.name, n.basePriority, n.priority] as const));
    const truth = (await Promise.all(VRRP_NODES.map(async (n) => ((await keepalivedInstances(n.name)) ?? []).map((i) => [i.instance, n.name, i.basePriority, i.effectivePriority] as const)))).flat();
    const key = (x: readonly unknown[]) => `${x[0]}/${x[1]}`;
    return { seen: [...seen].sort((a, b) => key(a).localeCompare(key(b))), truth: [...truth].sort((a, b) => key(a).localeCompare(key(b))) };
  }

  it("drain ka1: its effective priority drops by the drain weight at once (as keepalived reports it), MASTER moves to ka2 within ~5 s, and back after undrain", async () => {
    const base = Object.fromEntries(VRRP_NODES.map((n) => [n.name, VRRP_PRIORITY[n.name]]));
    const before = await priorities();
    expect(before.seen).toEqual(before.truth);
    for (const [, node, b, effective] of before.seen) expect([b, effective]).toEqual([base[node], base[node]]);

    const t0 = Date.now();
    drain("ka1", true);
    try {
      // The FIFO reports the priority change before any transition: the collector sees it while ka1 is still MASTER.
      await waitFor("ka1's effective priority lowered by the drain weight", async () => (await probeAll()).every((d) => node(d, "ka1").priority === base.ka1! - VRRP_DRAIN_WEIGHT), 2_000, 50);
      console.log(`vrrp drain: effective priority ${base.ka1} -> ${base.ka1! - VRRP_DRAIN_WEIGHT} seen after ${Date.now() - t0} ms`);
      await waitFor("ka2 MASTER on every instance", async () => (await probeAll()).every((d) => d.masters.length === 1 && d.masters[0] === "ka2"), 5_000, 100);
      console.log(`vrrp drain: ka2 MASTER after ${Date.now() - t0} ms`);
      const drained = await priorities();
      expect(drained.seen).toEqual(drained.truth);
      for (const d of await probeAll()) {
        expect(node(d, "ka1")).toMatchObject({ state: "BACKUP", basePriority: base.ka1, priority: base.ka1! - VRRP_DRAIN_WEIGHT, priorityVia: "fifo" });
        expect(node(d, "ka2")).toMatchObject({ state: "MASTER", basePriority: base.ka2, priority: base.ka2 });
      }
    } finally {
      drain("ka1", false);
    }
    const t1 = Date.now();
    await backToDefault();
    console.log(`vrrp undrain: back on ka1 after ${Date.now() - t1} ms`);
    const after = await priorities();
    expect(after.seen).toEqual(after.truth);
    for (const [, node, b, effective] of after.seen) expect([b, effective]).toEqual([base[node], base[node]]);
  });

  for (const verb of ["kill", "stop"] as const) {
    const what = verb === "kill" ? "killed (SIGKILL)" : "frozen (SIGSTOP)";
    it(`${what} keepalived on ka2 (BACKUP) is UNKNOWN within ~4 s via the heartbeat, never BACKUP`, async () => {
      const t0 = Date.now();
      await fault(verb, "ka2");
      let detectedMs: number;
      try {
        const all = await waitFor("ka2 UNKNOWN on every instance", async () => {
          const d = await probeAll();
          return d.every((x) => node(x, "ka2").state === "UNKNOWN") ? d : undefined;
        }, 4_000, 100);
        detectedMs = Date.now() - t0;
        for (const d of all) {
          const ka2 = node(d, "ka2");
          expect(ka2).toMatchObject({ state: "UNKNOWN", lastState: "BACKUP" });
          expect(ka2.error).toMatch(/^keepalived not reporting \(last heartbeat \d+\.\d s ago; last state BACKUP\)$/);
          // ka1 still holds the VIP: the instance is healthy with one node unknown.
          expect(d.masters).toEqual(["ka1"]);
        }
        console.log(`vrrp ${what} ka2: UNKNOWN after ${detectedMs} ms ("${node(all[0]!, "ka2").error}")`);
      } finally {
        await fault(verb === "kill" ? "start" : "resume", "ka2");
      }
      const t1 = Date.now();
      await backToDefault();
      console.log(`vrrp ${what} ka2: BACKUP again ${Date.now() - t1} ms after ${verb === "kill" ? "restart" : "SIGCONT"}`);
    });
  }

  it("garbage state file: UNKNOWN with a safe reason", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "vrrp-lab-"));
    try {
      for (const n of ["x1", "x2"]) {
        mkdirSync(path.join(dir, n));
        writeFileSync(path.join(dir, n, "heartbeat"), "");
      }
      writeFileSync(path.join(dir, "x1", "state-VI_TRADING.json"), Buffer.from([0x7b, 0x00, 0xff, 0xfe, 0x22, 0x0a]));
      writeFileSync(path.join(dir, "x2", "state-VI_TRADING.json"), JSON.stringify({ state: "MASTER; rm -rf /" }));
      const t: VrrpTarget = {
        ...targets()[0]!,
        nodes: ["x1", "x2"].map((n) => ({ name: n, stateFile: path.join(dir, n, "state-VI_TRADING.json") })),
      };
      const r = await probeVrrp(t, AbortSignal.timeout(DEADLINE_MS));
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toBe("state unknown on every node");
      expect(r.data?.nodes.map((n) => [n.state, n.error])).toEqual([
        ["UNKNOWN", "state file is not JSON"],
        ["UNKNOWN", 'unrecognised state "MASTER; rm -rf /"'],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

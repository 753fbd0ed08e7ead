import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { VrrpTarget } from "./types";
import { probeVrrp } from "./vrrp";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "vrrp-test-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const file = (node: string) => path.join(dir, `${node}-state-VI_TRADING.json`);
const write = (node: string, state: string, priority = 100) =>
  writeFileSync(file(node), JSON.stringify({ node, instance: "VI_TRADING", state, priority, at: "2026-11-25T20:00:00Z" }));

const target = (): VrrpTarget => ({
  id: "vi-trading",
  component: "load-balancer",
  instance: "VI_TRADING",
  virtualRouterId: 51,
  vips: ["10.77.0.100"],
  nodes: [
    { name: "ka1", stateFile: file("ka1") },
    { name: "ka2", stateFile: file("ka2") },
  ],
});

describe("vrrp collector", () => {
  it("reads one MASTER and one BACKUP", async () => {
    write("ka1", "MASTER", 100);
    write("ka2", "BACKUP", 50);
    const r = await probeVrrp(target(), AbortSignal.timeout(1_000));
    expect(r.ok).toBe(true);
    expect(r.data?.masters).toEqual(["ka1"]);
    expect(r.data?.nodes).toEqual([
      { name: "ka1", state: "MASTER", priority: 100, at: "2026-11-25T20:00:00Z", error: null },
      { name: "ka2", state: "BACKUP", priority: 50, at: "2026-11-25T20:00:00Z", error: null },
    ]);
  });

  it("reads the notify script's format (epoch milliseconds)", async () => {
    writeFileSync(file("ka1"), '{"node":"ka1","type":"INSTANCE","instance":"VI_TRADING","state":"MASTER","priority":100,"at":1795640137359}\n');
    writeFileSync(file("ka2"), JSON.stringify({ node: "ka2", instance: "VI_TRADING", state: "BACKUP", priority: 50, at: 1795640137 }));
    const r = await probeVrrp(target(), AbortSignal.timeout(1_000));
    expect(r.data?.nodes.map((n) => n.at)).toEqual(["2026-11-25T20:55:37.359Z", "2026-11-25T20:55:37.000Z"]);
  });

  it("reports a missing file as UNKNOWN, not as BACKUP", async () => {
    write("ka1", "MASTER");
    const r = await probeVrrp(target(), AbortSignal.timeout(1_000));
    expect(r.ok).toBe(true);
    expect(r.data?.nodes[1]).toMatchObject({ name: "ka2", state: "UNKNOWN", error: "no state file yet" });
  });

  it("fails when nobody holds the VIP", async () => {
    write("ka1", "FAULT");
    write("ka2", "BACKUP");
    const r = await probeVrrp(target(), AbortSignal.timeout(1_000));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/no node is MASTER/);
  });

  it("fails on split brain", async () => {
    write("ka1", "MASTER");
    write("ka2", "MASTER");
    const r = await probeVrrp(target(), AbortSignal.timeout(1_000));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/split brain: ka1 and ka2/);
  });

  it("treats garbage and files of another instance as UNKNOWN", async () => {
    writeFileSync(file("ka1"), "not json");
    writeFileSync(file("ka2"), JSON.stringify({ instance: "VI_DATABASE", state: "MASTER" }));
    const r = await probeVrrp(target(), AbortSignal.timeout(1_000));
    expect(r.ok).toBe(false);
    expect(r.data?.nodes.map((n) => n.error)).toEqual(["state file is not JSON", "state file is for instance VI_DATABASE"]);
  });
});

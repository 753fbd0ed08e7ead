import { spawnSync } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { VrrpTarget } from "./types";
import { heartbeatPath, probeVrrp } from "./vrrp";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "vrrp-test-"));
  for (const n of ["ka1", "ka2"]) {
    mkdirSync(path.join(dir, n));
    beat(n);
  }
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const file = (node: string) => path.join(dir, node, "state-VI_TRADING.json");
const write = (node: string, state: string, priority = 100) =>
  writeFileSync(file(node), JSON.stringify({ node, instance: "VI_TRADING", state, priority, at: "2026-11-25T20:00:00Z" }));
/** What scripts/keepalived-heartbeat.sh does every second; `agoMs` back-dates it. */
function beat(node: string, agoMs = 0) {
  const f = path.join(dir, node, "heartbeat");
  writeFileSync(f, `${node}\n`);
  const t = (Date.now() - agoMs) / 1000;
  utimesSync(f, t, t);
}

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
      { name: "ka1", state: "MASTER", lastState: "MASTER", priority: 100, basePriority: null, priorityVia: null, at: "2026-11-25T20:00:00Z", heartbeatAgeMs: expect.any(Number), error: null, silent: false },
      { name: "ka2", state: "BACKUP", lastState: "BACKUP", priority: 50, basePriority: null, priorityVia: null, at: "2026-11-25T20:00:00Z", heartbeatAgeMs: expect.any(Number), error: null, silent: false },
    ]);
    expect(r.data?.nodes[0]?.heartbeatAgeMs).toBeLessThan(1_000);
  });

  it("reads the notify script's format (epoch milliseconds)", async () => {
    writeFileSync(file("ka1"), '{"node":"ka1","type":"INSTANCE","instance":"VI_TRADING","state":"MASTER","priority":100,"at":1795640137359}\n');
    writeFileSync(file("ka2"), JSON.stringify({ node: "ka2", instance: "VI_TRADING", state: "BACKUP", priority: 50, at: 1795640137 }));
    const r = await probeVrrp(target(), AbortSignal.timeout(1_000));
    expect(r.data?.nodes.map((n) => n.at)).toEqual(["2026-11-25T20:55:37.359Z", "2026-11-25T20:55:37.000Z"]);
  });

  it("gives the configured base priority beside the effective one, and says how current the effective one is", async () => {
    writeFileSync(file("ka1"), '{"node":"ka1","type":"INSTANCE","instance":"VI_TRADING","state":"MASTER","priority":40,"at":1795640137359,"via":"fifo"}\n');
    writeFileSync(file("ka2"), '{"node":"ka2","type":"INSTANCE","instance":"VI_TRADING","state":"BACKUP","priority":50,"at":1795640137359,"via":"notify"}\n');
    const t = target();
    t.nodes = [
      { ...t.nodes[0]!, priority: 100 },
      { ...t.nodes[1]!, priority: 50 },
    ];
    const r = await probeVrrp(t, AbortSignal.timeout(1_000));
    expect(r.data?.nodes.map((n) => [n.name, n.basePriority, n.priority, n.priorityVia])).toEqual([
      ["ka1", 100, 40, "fifo"],
      ["ka2", 50, 50, "notify"],
    ]);
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

describe("vrrp collector: who answers on the VIP", () => {
  it("asks the VIP in the same poll as the state files, and names the node that answered", async () => {
    const srv = http.createServer((_, res) => res.end("ka2\n"));
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
    try {
      write("ka1", "MASTER", 100);
      write("ka2", "BACKUP", 50);
      const t = { ...target(), vipProbe: { url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}/name`, timeoutMs: 500 } };
      const r = await probeVrrp(t, AbortSignal.timeout(1_000));
      expect(r.data?.masters).toEqual(["ka1"]);
      expect(r.data?.vipAnswer).toMatchObject({ node: "ka2", answer: "ka2", error: null });
    } finally {
      await new Promise((r) => srv.close(r));
    }
  });
});

describe("vrrp heartbeat (keepalived liveness)", () => {
  it("never reports a silent keepalived's last MASTER as MASTER", async () => {
    // kill -9 of keepalived: the state file still says MASTER, the heartbeat stopped 4.2 s ago.
    write("ka1", "MASTER", 100);
    write("ka2", "BACKUP", 50);
    beat("ka1", 4_200);
    const r = await probeVrrp(target(), AbortSignal.timeout(1_000));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toBe("no node reports MASTER; ka1 unknown");
    expect(r.data?.masters).toEqual([]);
    expect(r.data?.nodes[0]).toMatchObject({ name: "ka1", state: "UNKNOWN", lastState: "MASTER", priority: 100, silent: true });
    expect(r.data?.nodes[1]).toMatchObject({ name: "ka2", state: "BACKUP", silent: false });
    expect(r.data?.vipAnswer).toBeNull();
    expect(r.data?.nodes[0]?.error).toMatch(/^keepalived not reporting \(last heartbeat 4\.\d s ago; last state MASTER\)$/);
    expect(r.data?.nodes[0]?.heartbeatAgeMs).toBeGreaterThanOrEqual(4_200);
  });

  it("is healthy once the peer has taken over, with the silent node UNKNOWN", async () => {
    write("ka1", "MASTER", 100);
    write("ka2", "MASTER", 50);
    beat("ka1", 60_000);
    const r = await probeVrrp(target(), AbortSignal.timeout(1_000));
    expect(r.ok).toBe(true);
    expect(r.data?.masters).toEqual(["ka2"]);
    expect(r.data?.nodes[0]?.error).toBe("keepalived not reporting (last heartbeat 60 s ago; last state MASTER)");
  });

  it("honours heartbeatMaxAgeMs per node", async () => {
    write("ka1", "MASTER");
    write("ka2", "BACKUP");
    beat("ka2", 4_000);
    const t = target();
    t.nodes[1] = { ...t.nodes[1]!, heartbeatMaxAgeMs: 10_000 };
    const r = await probeVrrp(t, AbortSignal.timeout(1_000));
    expect(r.data?.nodes[1]).toMatchObject({ state: "BACKUP", error: null });
  });

  it("says so when no heartbeat file exists", async () => {
    write("ka1", "MASTER");
    write("ka2", "BACKUP");
    rmSync(path.join(dir, "ka2", "heartbeat"));
    const r = await probeVrrp(target(), AbortSignal.timeout(1_000));
    expect(r.data?.nodes[1]).toMatchObject({ state: "UNKNOWN", lastState: "BACKUP", heartbeatAgeMs: null, silent: true });
    expect(r.data?.nodes[1]?.error).toMatch(/^keepalived not reporting \(no heartbeat file: .*keepalived-heartbeat\.sh is not deployed; last state BACKUP\)$/);
  });

  it("reads an explicit heartbeatFile, or none with heartbeatFile: false", async () => {
    write("ka1", "MASTER");
    write("ka2", "BACKUP");
    rmSync(path.join(dir, "ka1", "heartbeat"));
    rmSync(path.join(dir, "ka2", "heartbeat"));
    const other = path.join(dir, "elsewhere-heartbeat");
    writeFileSync(other, "");
    const t = target();
    t.nodes = [
      { ...t.nodes[0]!, heartbeatFile: other },
      { ...t.nodes[1]!, heartbeatFile: false },
    ];
    const r = await probeVrrp(t, AbortSignal.timeout(1_000));
    expect(r.ok).toBe(true);
    expect(r.data?.nodes.map((n) => [n.state, n.heartbeatAgeMs === null])).toEqual([
      ["MASTER", false],
      ["BACKUP", true],
    ]);
  });

  it("defaults the heartbeat to `heartbeat` beside the state file", () => {
    expect(heartbeatPath({ name: "a", stateFile: "/var/lib/x/a/state-VI_1.json" })).toBe("/var/lib/x/a/heartbeat");
    expect(heartbeatPath({ name: "a" })).toBeNull();
  });
});

describe("scripts/keepalived-fifo.sh", () => {
  const script = path.resolve(import.meta.dirname, "../../scripts/keepalived-fifo.sh");
  const state = (stateDir: string, instance: string) => JSON.parse(readFileSync(path.join(stateDir, `state-${instance}.json`), "utf8")) as Record<string, unknown>;

  /** keepalived's side: a FIFO the script reads, written line by line; the script exits once its parent is gone. */
  function feed(lines: string[]): string {
    const stateDir = path.join(dir, "fifo-node");
    const fifo = path.join(dir, "vrrp.fifo");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    // A shell plays keepalived: it starts the reader, writes the lines, removes the FIFO, then closes it:
    // the reader sees EOF with no FIFO left and exits.
    const sh = `"${script}" "${stateDir}" ka1 "${fifo}" & reader=$!; exec 3> "${fifo}"; printf '%s\\n' "$@" >&3; rm -f "${fifo}"; exec 3>&-; wait $reader`;
    const r = spawnSync("/bin/bash", ["-c", sh, "keepalived", ...lines], { encoding: "utf8", timeout: 10_000 });
    expect(r.status, r.stderr).toBe(0);
    return stateDir;
  }

  it("writes state and effective priority on transitions and on priority changes", () => {
    const d = feed([
      'INSTANCE "VI_TRADING" BACKUP 100',
      'INSTANCE "VI_TRADING" MASTER 100',
      'INSTANCE "VI_TRADING" MASTER_PRIORITY 40',
      'INSTANCE "VI_DATABASE" BACKUP_PRIORITY 50',
      'GROUP "G1" MASTER 0',
      'INSTANCE "VI_DATABASE" MASTER_RX_LOWER_PRI 50',
    ]);
    const vt = state(d, "VI_TRADING");
    expect(vt).toMatchObject({ node: "ka1", instance: "VI_TRADING", state: "MASTER", priority: 40, via: "fifo" });
    expect(typeof vt.at).toBe("number");
    // A priority change before any transition seen: the line names the state; when it began is unknown.
    expect(state(d, "VI_DATABASE")).toMatchObject({ state: "BACKUP", priority: 50, at: null, via: "fifo" });
    expect(readFileSync(path.join(d, "events.log"), "utf8").trim().split("\n")).toHaveLength(4);
  });

  it("keeps the time of the transition when only the priority changes", () => {
    const d = feed(['INSTANCE "VI_TRADING" MASTER 100', 'INSTANCE "VI_TRADING" MASTER_PRIORITY 40', 'INSTANCE "VI_TRADING" MASTER_PRIORITY 100']);
    const log = readFileSync(path.join(d, "events.log"), "utf8").trim().split("\n");
    expect(state(d, "VI_TRADING")).toMatchObject({ state: "MASTER", priority: 100, at: Number(log[0]!.split(" ")[0]) });
  });

  it("ignores names that are not instance names", () => {
    const d = feed(['INSTANCE "../../etc/x" MASTER 100', 'INSTANCE "VI_1" MASTER abc']);
    expect(existsSync(path.join(dir, "etc"))).toBe(false);
    expect(state(d, "VI_1")).toMatchObject({ state: "MASTER", priority: null });
  });
});

describe("scripts/keepalived-heartbeat.sh", () => {
  const script = path.resolve(import.meta.dirname, "../../scripts/keepalived-heartbeat.sh");
  const run = (...args: string[]) => spawnSync("/bin/sh", [script, ...args], { encoding: "utf8" });

  it("creates STATE_DIR/heartbeat and refreshes its mtime", () => {
    const stateDir = path.join(dir, "new-node");
    expect(run(stateDir, "ka9").status).toBe(0);
    const f = path.join(stateDir, "heartbeat");
    expect(readFileSync(f, "utf8")).toBe("ka9\n");
    utimesSync(f, 1_000, 1_000);
    expect(run(stateDir, "ka9").status).toBe(0);
    expect(Date.now() - statSync(f).mtimeMs).toBeLessThan(5_000);
  });

  it("exits 0 even when it cannot write (weight 0 would otherwise FAULT the node)", () => {
    const blocked = path.join(dir, "a-file");
    writeFileSync(blocked, "");
    expect(run(path.join(blocked, "sub"), "ka1").status).toBe(0);
    expect(run().status).toBe(0);
    expect(existsSync(path.join(blocked, "sub"))).toBe(false);
  });
});

import { existsSync, readFileSync, readdirSync } from "node:fs";
import net from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { fault } from "@/e2e/lab/lab";
import { haproxyStats, tcpPing } from "@/e2e/lab/inspect";
import { procState, readPid, waitFor } from "@/e2e/lab/proc";
import { APPS, paths } from "@/e2e/lab/topology";
import { loadConfig } from "@/server/config/load";
import { close, listen } from "@/server/testing/listen";
import { closeTcpConnections, probeTcp } from "./tcp";
import type { TcpTarget } from "./types";

/**
 * The tcp collector (PING/PONG over a held connection) against the lab: te1 directly and through
 * HAProxy's trading frontend, each paired with a failure (killed, frozen, garbage). Faults are
 * restored in `finally`. Run under the lab lock: flock /tmp/hacr-lab.lock npx vitest run --project lab <file>
 */
const CONFIG = paths.config;
const DEADLINE_MS = 1_000;
const SLACK_MS = 250;

/** SIGKILL is asynchronous: the leader turns zombie before the other threads exit and close the sockets. */
function gone(pid: number | undefined): boolean {
  const dir = `/proc/${pid ?? 0}/task`;
  if (!pid || !existsSync(dir)) return true;
  try {
    const tasks = readdirSync(dir);
    return tasks.length === 1 && readFileSync(`${dir}/${tasks[0]}/stat`, "utf8").split(") ")[1]?.[0] === "Z";
  } catch {
    return true;
  }
}

describe("tcp collector against the lab", () => {
  const config = existsSync(CONFIG) ? loadConfig(CONFIG) : undefined;
  const target = (id: string): TcpTarget => {
    const t = config?.tcp.find((x) => x.id === id);
    if (!t) throw new Error(`no tcp target ${id} in ${CONFIG}`);
    return t;
  };

  async function timedProbe(t: TcpTarget) {
    const start = performance.now();
    const r = await probeTcp(t, AbortSignal.timeout(DEADLINE_MS));
    return { r, elapsed: performance.now() - start };
  }
  function expectSafeFailure({ r, elapsed }: Awaited<ReturnType<typeof timedProbe>>, error: RegExp) {
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatch(error);
      expect(r.error).not.toMatch(/127\.0\.0\.1|password/i);
    }
    expect(elapsed).toBeLessThan(DEADLINE_MS + SLACK_MS);
  }

  async function healthyAgain(app: "te1" | "te2") {
    await waitFor(`${app} PONG`, async () => (await tcpPing(APPS[app].tcp)) === "PONG", 30_000, 250);
    await waitFor(
      `HAProxy trading/${app} UP`,
      async () => (await haproxyStats())?.find((row) => row.pxname === "trading" && row.svname === app)?.status === "UP",
      15_000,
      250,
    );
  }

  beforeAll(async () => {
    await healthyAgain("te1");
    await healthyAgain("te2");
  });
  afterEach(() => closeTcpConnections());
  afterAll(async () => {
    await healthyAgain("te1");
    await healthyAgain("te2");
  });

  for (const id of ["te1-tcp", "trading-frontend"]) {
    it(`healthy: PONG from ${id}, every poll on the same connection`, async () => {
      const results = [];
      for (let i = 0; i < 10; i++) results.push((await timedProbe(target(id))).r);
      expect(results.map((r) => r.ok)).toEqual(results.map(() => true));
      expect(results.map((r) => r.data?.reused)).toEqual([false, ...Array<boolean>(9).fill(true)]);
      expect(results.every((r) => r.data?.received === "PONG\\r\\n")).toBe(true);
      const later = results.slice(1).map((r) => r.latencyMs).sort((a, b) => a - b);
      console.log(`tcp ${id}: first poll (connect ${results[0]?.data?.connectMs} ms) ${results[0]?.latencyMs} ms; reused polls median ${later[4]} ms, max ${later[8]} ms`);
    });
  }

  it("killed: te1 gone is 'connection refused' within the poll, though a connection was held", async () => {
    expect((await timedProbe(target("te1-tcp"))).r.ok).toBe(true);
    const pid = readPid("te1");
    await fault("kill", "te1");
    try {
      await waitFor("te1 gone", () => gone(pid), 5_000, 5);
      const p = await timedProbe(target("te1-tcp"));
      expectSafeFailure(p, /^connection refused$/);
      expect(p.elapsed).toBeLessThan(200);
      console.log(`tcp killed te1: "${p.r.ok ? "" : p.r.error}" after ${p.elapsed.toFixed(1)} ms`);
    } finally {
      await fault("start", "te1");
    }
    await waitFor("te1 PONG through the collector", async () => (await timedProbe(target("te1-tcp"))).r.ok, 30_000, 250);
  });

  it("frozen: a SIGSTOPped te2 fails at the deadline on the held connection, then a fresh one answers", async () => {
    expect((await timedProbe(target("te2-tcp"))).r.ok).toBe(true);
    await fault("stop", "te2");
    try {
      await waitFor("te2 stopped", () => procState(readPid("te2") ?? 0) === "T", 2_000, 5);
      const p = await timedProbe(target("te2-tcp"));
      expectSafeFailure(p, /^no "PONG" within the deadline \(\d+ ms\); nothing received$/);
      expect(p.elapsed).toBeGreaterThanOrEqual(DEADLINE_MS - 10);
      expect(p.r.data?.reused).toBe(true);
      console.log(`tcp frozen te2: "${p.r.ok ? "" : p.r.error}" after ${p.elapsed.toFixed(1)} ms`);
    } finally {
      await fault("resume", "te2");
    }
    const back = await waitFor("te2 PONG through the collector", async () => {
      const { r } = await timedProbe(target("te2-tcp"));
      return r.ok ? r : undefined;
    }, 15_000, 250);
    expect(back.data?.reused).toBe(false);
  });

  it("garbage: a peer that answers junk fails at once with what it said, escaped", async () => {
    const junk = net.createServer((sock) => {
      sock.on("error", () => {});
      sock.on("data", () => sock.write("\x1b[31mHELLO\x00 from not-a-trading-engine\r\n"));
    });
    const port = await listen(junk);
    try {
      const p = await timedProbe({ ...target("te1-tcp"), id: "junk", address: `127.0.0.1:${port}` });
      expectSafeFailure(p, /^expected "PONG", got "\\u001b\[31mHELLO\\u0000 from not-a-trading-engine\\r\\n"$/);
      expect(p.elapsed).toBeLessThan(200);
    } finally {
      await close(junk);
    }
  });
});

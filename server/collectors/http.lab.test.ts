import { existsSync, readFileSync, readdirSync } from "node:fs";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fault } from "@/e2e/lab/lab";
import { appHealth, haproxyStats } from "@/e2e/lab/inspect";
import { procState, readPid, waitFor } from "@/e2e/lab/proc";
import { paths } from "@/e2e/lab/topology";
import { loadConfig } from "@/server/config/load";
import { close, listen } from "@/server/testing/listen";
import { probeHttp } from "./http";
import type { HttpTarget } from "./types";

/**
 * The http collector against the lab's trading engines, each healthy case paired with a failure:
 * killed, frozen, and a port that answers with something other than HTTP. Faults are restored in
 * `finally`. Run under the lab lock: flock /tmp/hacr-lab.lock npx vitest run --project lab <file>
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

describe("http collector against the lab", () => {
  const config = existsSync(CONFIG) ? loadConfig(CONFIG) : undefined;
  const target = (id: string): HttpTarget => {
    const t = config?.http.find((h) => h.id === id);
    if (!t) throw new Error(`no http target ${id} in ${CONFIG}`);
    return t;
  };

  /** A probe under the deadline; a failure must be a result on time, never an exception. */
  async function timedProbe(t: HttpTarget) {
    const start = performance.now();
    const r = await probeHttp(t, AbortSignal.timeout(DEADLINE_MS));
    return { r, elapsed: performance.now() - start };
  }
  function expectSafeFailure({ r, elapsed }: Awaited<ReturnType<typeof timedProbe>>, error: RegExp) {
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatch(error);
      expect(r.error).not.toMatch(/:\/\/|127\.0\.0\.1|password/i);
    }
    expect(elapsed).toBeLessThan(DEADLINE_MS + SLACK_MS);
  }

  const haproxyServerUp = async (sv: string) =>
    (await haproxyStats())?.find((row) => row.pxname === "trading" && row.svname === sv)?.status === "UP";
  /** Back to how the lab was: /health 200 and HAProxy's tcp-check UP again. */
  async function healthyAgain(app: "te1" | "te2") {
    await waitFor(`${app} /health 200`, async () => (await appHealth(app)) === 200, 30_000, 250);
    await waitFor(`HAProxy trading/${app} UP`, () => haproxyServerUp(app), 15_000, 250);
  }

  beforeAll(async () => {
    await healthyAgain("te1");
    await healthyAgain("te2");
  });
  afterAll(async () => {
    await healthyAgain("te1");
    await healthyAgain("te2");
  });

  it("healthy: te1 answers 200 with its JSON checks, over one keep-alive connection", async () => {
    const latencies: number[] = [];
    for (let i = 0; i < 10; i++) {
      const { r } = await timedProbe(target("te1-health"));
      expect(r.ok, r.ok ? "" : r.error).toBe(true);
      expect(r.data?.statusCode).toBe(200);
      expect(r.data?.attempts).toBe(1);
      const body = r.data?.body as { status: string; service: string; role: string; checks: Record<string, { ok: boolean }> };
      expect(body).toMatchObject({ status: "UP", service: "te1", role: "trading-engine" });
      expect(Object.keys(body.checks).sort()).toEqual(["database", "marketData", "redis"]);
      expect(Object.values(body.checks).every((c) => c.ok)).toBe(true);
      latencies.push(r.latencyMs);
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    console.log(`http te1 /health latency ms: first ${latencies[0]}, median ${sorted[5]}, max ${sorted[9]}`);
  });

  it("killed: te1 gone is 'connection refused' at once, also when a pooled connection was open", async () => {
    expect((await timedProbe(target("te1-health"))).r.ok).toBe(true); // leaves a keep-alive socket in the pool
    const pid = readPid("te1");
    await fault("kill", "te1");
    try {
      await waitFor("te1 gone", () => gone(pid), 5_000, 5);
      const p = await timedProbe(target("te1-health"));
      expectSafeFailure(p, /^connection refused$/);
      expect(p.elapsed).toBeLessThan(200);
      console.log(`http killed te1: "${p.r.ok ? "" : p.r.error}" after ${p.elapsed.toFixed(1)} ms`);
    } finally {
      await fault("start", "te1");
    }
    await waitFor("te1 to answer 200 through the collector", async () => (await timedProbe(target("te1-health"))).r.ok, 30_000, 250);
  });

  it("frozen: a SIGSTOPped te2 costs exactly the deadline, then recovers after SIGCONT", async () => {
    expect((await timedProbe(target("te2-health"))).r.ok).toBe(true);
    await fault("stop", "te2");
    try {
      await waitFor("te2 stopped", () => procState(readPid("te2") ?? 0) === "T", 2_000, 5);
      const p = await timedProbe(target("te2-health"));
      expectSafeFailure(p, /^no answer within the deadline \(\d+ ms\)$/);
      expect(p.elapsed).toBeGreaterThanOrEqual(DEADLINE_MS - 10);
      console.log(`http frozen te2: "${p.r.ok ? "" : p.r.error}" after ${p.elapsed.toFixed(1)} ms`);
    } finally {
      await fault("resume", "te2");
    }
    await waitFor("te2 to answer 200 through the collector", async () => (await timedProbe(target("te2-health"))).r.ok, 15_000, 250);
  });

  it("garbage: a port that answers with non-HTTP bytes fails at once, safely", async () => {
    const junk = net.createServer((sock) => {
      sock.on("error", () => {});
      sock.on("data", () => sock.end("\x00\x01RFB 003.008\n\xff\xfe garbage, not HTTP\r\n\r\n"));
    });
    const port = await listen(junk);
    try {
      const p = await timedProbe({ ...target("te1-health"), url: `http://127.0.0.1:${port}/health` });
      expectSafeFailure(p, /^(the answer is not HTTP|connection closed without an answer)$/);
      expect(p.elapsed).toBeLessThan(200);
    } finally {
      await close(junk);
    }
  });
});

import { existsSync, readFileSync, readdirSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fault } from "@/e2e/lab/lab";
import { haproxyRwTarget, tcpPing } from "@/e2e/lab/inspect";
import { readPid, waitFor } from "@/e2e/lab/proc";
import { HAPROXY, HAPROXY_STATS_AUTH, HOST, paths } from "@/e2e/lab/topology";
import { Secret, loadConfig } from "@/server/config/load";
import { close, listen } from "@/server/testing/listen";
import { parseHaproxyCsv, probeHaproxy, readStatsSocket, type HaproxyData } from "./haproxy";
import type { HaproxyTarget } from "./types";

/**
 * The haproxy collector against the lab's HAProxy, over the stats page and the admin socket, each
 * paired with a failure: HAProxy killed or frozen (kept short: other tests use it), wrong
 * credentials, garbage. Run under the lab lock: flock /tmp/hacr-lab.lock npx vitest run --project lab <file>
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

describe("haproxy collector against the lab", () => {
  const config = existsSync(CONFIG) ? loadConfig(CONFIG) : undefined;
  const viaUrl = (): HaproxyTarget => {
    const t = config?.haproxy[0];
    if (!t?.statsUrl) throw new Error(`no haproxy statsUrl in ${CONFIG}`);
    return t;
  };
  const viaSocket = (): HaproxyTarget => ({ id: "haproxy-socket", component: "load-balancer", statsSocket: paths.haproxySocket });

  async function timedProbe(t: HaproxyTarget) {
    const start = performance.now();
    const r = await probeHaproxy(t, AbortSignal.timeout(DEADLINE_MS));
    return { r, elapsed: performance.now() - start };
  }
  function expectSafeFailure({ r, elapsed }: Awaited<ReturnType<typeof timedProbe>>, error: RegExp) {
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatch(error);
      expect(r.error).not.toMatch(/:\/\/|127\.0\.0\.1|admin\.sock|password|s3cret/i);
    }
    expect(elapsed).toBeLessThan(DEADLINE_MS + SLACK_MS);
  }

  /** SIGSTOP takes effect asynchronously, thread by thread: wait until every HAProxy thread is stopped. */
  const frozen = (name: string) =>
    waitFor(`${name} stopped`, () => {
      const pid = readPid(name) ?? 0;
      return readdirSync(`/proc/${pid}/task`).every((tid) => readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8").split(") ")[1]?.[0] === "T");
    }, 2_000, 5);

  const servers = (d: HaproxyData | undefined, proxy: string) => d?.proxies.find((p) => p.name === proxy)?.servers ?? [];
  const status = (d: HaproxyData | undefined, proxy: string, server: string) => servers(d, proxy).find((s) => s.name === server)?.status;

  /** HAProxy answers and routes again: stats, the pg_rw frontend to the primary, both trading servers UP. */
  async function haproxyHealthy() {
    await waitFor("HAProxy stats", async () => (await timedProbe(viaUrl())).r.ok, 20_000, 250);
    await waitFor("HAProxy pg_rw to reach the primary", async () => (await haproxyRwTarget())?.inRecovery === false, 20_000, 250);
    await waitFor("trading te1/te2 UP", async () => {
      const { r } = await timedProbe(viaUrl());
      return status(r.data, "trading", "te1") === "UP" && status(r.data, "trading", "te2") === "UP";
    }, 20_000, 250);
  }
  beforeAll(haproxyHealthy);
  afterAll(haproxyHealthy);

  function expectLabRows(d: HaproxyData | undefined) {
    const names = d?.proxies.map((p) => p.name) ?? [];
    expect(names).toEqual(expect.arrayContaining(["stats", "pg_rw", "pg_ro", "trading"]));
    // Patroni's REST checks: only the leader is UP behind pg_rw, the two replicas behind pg_ro.
    expect(servers(d, "pg_rw").map((s) => s.name).sort()).toEqual(["pg1", "pg2", "pg3"]);
    expect(servers(d, "pg_rw").filter((s) => s.status === "UP")).toHaveLength(1);
    expect(servers(d, "pg_ro").filter((s) => s.status === "UP")).toHaveLength(2);
    // A poll may land while a check runs: HAProxy then has no code yet for it (checkCode null).
    const up = servers(d, "pg_rw").find((s) => s.status === "UP");
    const down = servers(d, "pg_rw").find((s) => s.status === "DOWN");
    expect(up?.checkStatus).toBe("L7OK");
    expect(up?.checkRunning ? (up.checkCode ?? "200") : up?.checkCode).toBe("200");
    expect(down?.checkStatus).toBe("L7STS");
    expect(down?.checkRunning ? (down.checkCode ?? "503") : down?.checkCode).toBe("503");
    expect(servers(d, "trading").map((s) => [s.name, s.status, s.checkStatus])).toEqual([
      ["te1", "UP", "L7OK"],
      ["te2", "UP", "L7OK"],
    ]);
    for (const p of ["pg_rw", "pg_ro", "trading"]) expect(d?.proxies.find((x) => x.name === p)?.backend?.status).toBe("UP");
  }

  it("healthy via the stats page: pg_rw, pg_ro and trading rows", async () => {
    const { r } = await timedProbe(viaUrl());
    expect(r.ok, r.ok ? "" : r.error).toBe(true);
    expectLabRows(r.data);
    console.log(`haproxy stats page: ${r.latencyMs} ms`);
  });

  it("healthy via the admin socket: the same rows", async () => {
    const [socket, page] = await Promise.all([timedProbe(viaSocket()), timedProbe(viaUrl())]);
    expect(socket.r.ok, socket.r.ok ? "" : socket.r.error).toBe(true);
    expectLabRows(socket.r.data);
    expect(socket.r.data?.proxies.map((p) => p.name)).toEqual(page.r.data?.proxies.map((p) => p.name));
    console.log(`haproxy admin socket: ${socket.r.latencyMs} ms`);
  });

  it("keeps HAProxy's transitional statuses verbatim (te2 frozen: UP n/3, then resumed: DOWN n/2)", async () => {
    const seen: string[] = [];
    const record = async () => {
      const { r } = await timedProbe(viaSocket());
      const s = status(r.data, "trading", "te2");
      if (s && seen.at(-1) !== s) seen.push(s);
      return s;
    };
    await fault("stop", "te2");
    try {
      await waitFor("te2 DOWN", async () => (await record()) === "DOWN", 15_000, 100);
    } finally {
      await fault("resume", "te2");
    }
    await waitFor("te2 UP", async () => (await record()) === "UP", 15_000, 100);
    console.log(`haproxy trading/te2 statuses seen: ${seen.join(" → ")}`);
    expect(seen.some((s) => /^UP \d\/3$/.test(s))).toBe(true);
    expect(seen.some((s) => /^DOWN \d\/2$/.test(s))).toBe(true);
  });

  it("frozen HAProxy: both the stats page and the admin socket fail at the deadline", async () => {
    let page, socket;
    await fault("stop", "haproxy");
    try {
      await frozen("haproxy");
      [page, socket] = await Promise.all([timedProbe(viaUrl()), timedProbe(viaSocket())]);
    } finally {
      await fault("resume", "haproxy");
      await waitFor("HAProxy answering again", async () => (await timedProbe(viaUrl())).r.ok, 10_000, 100);
    }
    expectSafeFailure(page, /^no answer within the deadline \(\d+ ms\)$/);
    expectSafeFailure(socket, /^no answer within the deadline \(\d+ ms\) \(admin socket\)$/);
    expect(page.elapsed).toBeGreaterThanOrEqual(DEADLINE_MS - 10);
  });

  it("killed HAProxy: refused at once on both, and it comes back", async () => {
    expect((await timedProbe(viaUrl())).r.ok).toBe(true); // a pooled keep-alive connection exists
    let page, socket;
    const pid = readPid("haproxy");
    await fault("kill", "haproxy");
    try {
      await waitFor("haproxy gone", () => gone(pid), 5_000, 5);
      [page, socket] = await Promise.all([timedProbe(viaUrl()), timedProbe(viaSocket())]);
    } finally {
      await fault("start", "haproxy");
      const t0 = Date.now();
      await waitFor("HAProxy stats after restart", async () => (await timedProbe(viaUrl())).r.ok, 15_000, 100);
      await waitFor("trading frontend PONG", async () => (await tcpPing(HAPROXY.trading)) === "PONG", 15_000, 100);
      console.log(`haproxy restarted: stats answering after ${Date.now() - t0} ms`);
    }
    expectSafeFailure(page, /^connection refused$/);
    expectSafeFailure(socket, /^connection refused \(admin socket\)$/);
    expect(page.elapsed).toBeLessThan(200);
    console.log(`haproxy killed: page "${page.r.ok ? "" : page.r.error}" ${page.elapsed.toFixed(1)} ms, socket "${socket.r.ok ? "" : socket.r.error}" ${socket.elapsed.toFixed(1)} ms`);
  });

  it("stats auth: the lab's credentials read the CSV; wrong or missing ones are refused by HAProxy itself, without the password", async () => {
    const good = await timedProbe(viaUrl());
    expect(good.r.ok, good.r.ok ? "" : good.r.error).toBe(true);
    // Oracle: the admin socket's own rows, not the collector's read.
    const socket = await readStatsSocket(paths.haproxySocket, AbortSignal.timeout(1_000));
    expect(socket).toMatch(/^# pxname,svname,/);
    expect(good.r.data?.proxies.map((p) => p.name).sort()).toEqual([...new Set(parseHaproxyCsv(socket).map((r) => r.proxy))].sort());

    // These reasons name the config fields to fix ("username and password"), so the generic leak check does not apply.
    const bad = await timedProbe({ ...viaUrl(), password: new Secret("s3cret-wrong-pw") });
    expect(bad.r).toMatchObject({ ok: false, error: "stats page refused the credentials (HTTP 401); check username and password" });
    expect(bad.elapsed).toBeLessThan(DEADLINE_MS + SLACK_MS);
    expect(JSON.stringify(bad.r)).not.toContain("s3cret-wrong-pw");
    expect(JSON.stringify(bad.r)).not.toContain(HAPROXY_STATS_AUTH.password);
    const none = await timedProbe({ ...viaUrl(), username: undefined, password: undefined });
    expect(none.r).toMatchObject({ ok: false, error: "stats page requires credentials (HTTP 401, stats auth); set username and password" });
    // And HAProxy really demands them: a plain request is refused.
    expect((await fetch(`http://${HOST}:${HAPROXY.stats}/stats;csv`, { signal: AbortSignal.timeout(1_000) })).status).toBe(401);
  });

  describe("a stats page that is not the lab's", () => {
    const local: http.Server[] = [];
    afterAll(async () => {
      await Promise.all(local.splice(0).map((s) => close(s)));
    });

    it("garbage: an HTML page, and a port that is not HTTP at all", async () => {
      const html = http.createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<html><body>Welcome to nginx!</body></html>"));
      local.push(html);
      const htmlPort = await listen(html);
      expectSafeFailure(await timedProbe({ ...viaUrl(), statsUrl: `http://${HOST}:${htmlPort}/stats;csv` }), /^stats answer is not HAProxy CSV$/);

      const junk = net.createServer((sock) => {
        sock.on("error", () => {});
        sock.on("data", () => sock.end("+OK redis-ish\r\n-ERR not http\r\n\r\n"));
      });
      const junkPort = await listen(junk);
      try {
        expectSafeFailure(await timedProbe({ ...viaUrl(), statsUrl: `http://${HOST}:${junkPort}/stats;csv` }), /^(the answer is not HTTP|connection closed without an answer)$/);
      } finally {
        await close(junk);
      }
    });
  });
});

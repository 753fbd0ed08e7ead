import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { Secret } from "@/server/config/load";
import { close, closedPort, listen } from "@/server/testing/listen";
import { probeRedis } from "./redis";
import { probeSentinel } from "./sentinel";
import type { RedisTarget, SentinelTarget } from "./types";

const servers: net.Server[] = [];
const sockets: net.Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(servers.splice(0).map((s) => close(s)));
});

/** Accepts connections and never answers; counts them. */
async function silentServer(): Promise<{ port: number; connections: () => number }> {
  let n = 0;
  const s = net.createServer((sock) => {
    n++;
    sockets.push(sock);
    sock.on("error", () => {});
  });
  servers.push(s);
  return { port: await listen(s), connections: () => n };
}

const sentinelTarget = (...ports: number[]): SentinelTarget => ({
  id: "labredis",
  component: "cache",
  masterName: "labredis",
  sentinels: ports.map((p) => `127.0.0.1:${p}`),
  sentinelPassword: new Secret("sentinel-secret"),
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("sentinel collector (failure paths; the lab tests the real thing)", () => {
  it("reports every sentinel refusing", async () => {
    const r = await probeSentinel(sentinelTarget(await closedPort(), await closedPort()), AbortSignal.timeout(1_000));
    expect(r.ok).toBe(false);
    expect(r.data?.sentinels.map((s) => s.error)).toEqual(["connection refused", "connection refused"]);
    if (!r.ok) expect(r.error).toMatch(/^no sentinel named a master/);
  });

  it("stops at the deadline on a silent sentinel, with one connection and no retries", async () => {
    const silent = await silentServer();
    const start = performance.now();
    const r = await probeSentinel(sentinelTarget(silent.port), AbortSignal.timeout(300));
    const elapsed = performance.now() - start;
    expect(r.ok).toBe(false);
    expect(r.data?.sentinels[0]?.error).toMatch(/^no answer within the deadline/);
    expect(elapsed).toBeLessThan(700);
    await sleep(300);
    expect(silent.connections()).toBe(1);
    expect(JSON.stringify(r)).not.toContain("sentinel-secret");
  });
});

describe("redis collector (failure paths)", () => {
  const target = (port: number): RedisTarget => ({ id: "redis1", component: "cache", url: `redis://127.0.0.1:${port}`, password: new Secret("redis-secret") });

  it("reports a refused connection", async () => {
    const r = await probeRedis(target(await closedPort()), AbortSignal.timeout(1_000));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toBe("connection refused");
  });

  it("stops at the deadline on a silent server", async () => {
    const silent = await silentServer();
    const start = performance.now();
    const r = await probeRedis(target(silent.port), AbortSignal.timeout(300));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^no answer within the deadline/);
    expect(performance.now() - start).toBeLessThan(700);
    await sleep(300);
    expect(silent.connections()).toBe(1);
  });
});

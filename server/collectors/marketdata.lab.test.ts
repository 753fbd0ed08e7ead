import { existsSync } from "node:fs";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fault } from "@/e2e/lab/lab";
import { HOST, SENTINELS, paths } from "@/e2e/lab/topology";
import { loadConfig, Secret } from "@/server/config/load";
import { close, closedPort, listen } from "@/server/testing/listen";
import { probeMarketData } from "./marketdata";
import { closeRedisClients } from "./redis-connection";
import { labRedisRoles, waitRedisLabHealthy } from "./testing/redis-lab";
import type { MarketDataProbeTarget, RedisTarget, SentinelTarget } from "./types";

/**
 * The market-data collector against the lab's feeder (it writes last_market_update every tick and
 * sets trading:enabled), with paired failure cases.
 * Run alone (it freezes a sentinel): `flock /tmp/hacr-lab.lock npx vitest run --project lab server/collectors/marketdata.lab.test.ts`.
 */
describe("market-data collector against the lab", () => {
  const config = existsSync(paths.config) ? loadConfig(paths.config) : undefined;
  const check = () => config!.marketData[0]!;
  const group = (): SentinelTarget => config!.sentinels.find((s) => s.id === check().redis)!;
  const viaSentinel = (g: SentinelTarget = group(), key?: string): MarketDataProbeTarget => ({
    check: { ...check(), ...(key ? { key } : {}) },
    source: { kind: "sentinel", group: g },
  });
  const viaRedis = (instance: RedisTarget): MarketDataProbeTarget => ({ check: check(), source: { kind: "redis", instance } });
  const DEADLINE_MS = config?.defaults.timeoutMs ?? 800;
  const SLACK_MS = 250;
  const timed = async (t: MarketDataProbeTarget) => {
    const start = performance.now();
    const r = await probeMarketData(t, AbortSignal.timeout(DEADLINE_MS));
    return { r, ms: performance.now() - start };
  };

  beforeAll(async () => {
    await waitRedisLabHealthy(60_000);
  });
  afterAll(() => closeRedisClients());

  it("healthy via Sentinel: fresh data (< 3 s), trading enabled, read from the current master", async () => {
    const { masterPort } = await labRedisRoles();
    const { r, ms } = await timed(viaSentinel());
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect(ms).toBeLessThan(DEADLINE_MS);
    expect(r.data).toMatchObject({ key: "last_market_update", tradingEnabled: true, readFrom: `${HOST}:${masterPort}` });
    expect(r.data!.ageSeconds).toBeGreaterThanOrEqual(0);
    expect(r.data!.ageSeconds).toBeLessThan(3);
  });

  it("healthy via a plain Redis instance (the master)", async () => {
    const { masterPort } = await labRedisRoles();
    const instance = config!.redis.find((t) => t.url.endsWith(`:${masterPort}`))!;
    const { r } = await timed(viaRedis(instance));
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect(r.data!.ageSeconds).toBeLessThan(3);
    expect(r.data!.tradingEnabled).toBe(true);
  });

  it("a key nobody writes is ok with ageSeconds null (the evaluator's NO_DATA)", async () => {
    const { r } = await timed(viaSentinel(group(), "hacr:test:no-such-key"));
    expect(r).toMatchObject({ ok: true, data: { key: "hacr:test:no-such-key", ageSeconds: null, tradingEnabled: true } });
  });

  it("frozen: with sentinel1 stopped the master is still found through the others, within the deadline", async () => {
    try {
      await fault("stop", "sentinel1");
      for (let i = 0; i < 2; i++) {
        const { r, ms } = await timed(viaSentinel());
        expect(ms).toBeLessThan(DEADLINE_MS);
        expect(r.ok, JSON.stringify(r)).toBe(true);
        expect(r.data!.ageSeconds).toBeLessThan(3);
      }
    } finally {
      await fault("resume", "sentinel1");
      await waitRedisLabHealthy(60_000);
    }
  });

  it("unreachable: no sentinel, or a closed Redis port, is ok:false with a safe error within the deadline", async () => {
    const ports = await Promise.all(SENTINELS.map(() => closedPort()));
    const { r, ms } = await timed(viaSentinel({ ...group(), sentinels: ports.map((p) => `${HOST}:${p}`) }));
    expect(ms).toBeLessThan(DEADLINE_MS + SLACK_MS);
    expect(r).toMatchObject({ ok: false, error: expect.stringMatching(/^no sentinel named a master: .*connection refused/) });

    const port = await closedPort();
    const direct = await timed(viaRedis({ id: "gone", component: "cache", url: `redis://${HOST}:${port}` }));
    expect(direct.r).toMatchObject({ ok: false, error: `connection refused (${HOST}:${port})` });
    expect(direct.ms).toBeLessThan(DEADLINE_MS + SLACK_MS);
  });

  it("wrong credentials: a data password the lab's Redis does not have is an AUTH error, shown safely", async () => {
    const password = "not-the-data-password-789";
    const { r, ms } = await timed(viaSentinel({ ...group(), password: new Secret(password) }));
    expect(ms).toBeLessThan(DEADLINE_MS + SLACK_MS);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatch(/^Redis refused the credentials \(WRONGPASS\); check the username and password \(/);
      expect(r.error).not.toContain(password);
    }
  });

  it("garbage on the port: a 'sentinel' that does not speak RESP is ok:false, within the deadline", async () => {
    const sockets: net.Socket[] = [];
    const junk = net.createServer((sock) => {
      sockets.push(sock);
      sock.on("error", () => {});
      sock.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
    });
    const port = await listen(junk);
    try {
      const { r, ms } = await timed(viaSentinel({ ...group(), sentinels: [`${HOST}:${port}`] }));
      expect(ms).toBeLessThan(DEADLINE_MS + SLACK_MS);
      expect(r).toMatchObject({ ok: false, error: `no sentinel named a master: ${HOST}:${port}: the peer does not speak the Redis protocol` });
    } finally {
      for (const s of sockets) s.destroy();
      await close(junk);
    }
  });
});

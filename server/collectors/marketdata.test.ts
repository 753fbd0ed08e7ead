import { afterEach, describe, expect, it } from "vitest";
import { Secret } from "@/server/config/load";
import { closedPort } from "@/server/testing/listen";
import { marketDataAge, parseFlag, probeMarketData } from "./marketdata";
import { closeRedisClients } from "./redis-connection";
import { SILENT, startRespServer, type RespServer } from "./testing/resp-server";
import type { MarketDataProbeTarget, MarketDataTarget, SentinelTarget } from "./types";

const NOW = 1_764_000_000_500; // epoch ms, half a second into a whole second

describe("market data age", () => {
  it("uses integer epoch seconds, as the seed writes them", () => {
    expect(marketDataAge(String(Math.floor(NOW / 1000) - 2), null, NOW)).toEqual({ ageSeconds: 2.5 });
  });

  it("prefers the _ms twin for sub-second age", () => {
    expect(marketDataAge(String(Math.floor(NOW / 1000)), String(NOW - 120), NOW)).toEqual({ ageSeconds: 0.12 });
  });

  it("takes the fresher stamp when the twin is no longer maintained", () => {
    expect(marketDataAge(String(Math.floor(NOW / 1000) - 1), String(NOW - 600_000), NOW)).toEqual({ ageSeconds: 1.5 });
  });

  it("is null when the key is missing (NO_DATA)", () => {
    expect(marketDataAge(null, null, NOW)).toEqual({ ageSeconds: null });
  });

  it("clamps small clock skew to zero, refuses a far-future or non-numeric stamp", () => {
    expect(marketDataAge(null, String(NOW + 300), NOW)).toEqual({ ageSeconds: 0 });
    expect(marketDataAge(String(NOW), null, NOW)).toMatchObject({ error: expect.stringMatching(/in the future/) });
    expect(marketDataAge("yesterday", null, NOW)).toEqual({ error: "the key does not hold an epoch timestamp" });
  });

  it("reads trading:enabled", () => {
    expect([parseFlag("true"), parseFlag("1"), parseFlag("FALSE"), parseFlag("0"), parseFlag("maybe"), parseFlag(null)]).toEqual([
      true, true, false, false, null, null,
    ]);
  });
});

describe("market data collector against scripted servers", () => {
  const fakes: RespServer[] = [];
  afterEach(async () => {
    closeRedisClients();
    await Promise.all(fakes.splice(0).map((f) => f.close()));
  });

  const check: MarketDataTarget = { id: "md", component: "market-data-gateway", redis: "labredis", key: "last_market_update", maxAgeSeconds: 5 };
  const keys: Record<string, string> = {
    last_market_update: String(Math.floor(NOW / 1000) - 1),
    last_market_update_ms: String(NOW - 1_250),
    "trading:enabled": "true",
  };

  async function redis(values: Record<string, string>, password?: string): Promise<RespServer> {
    const s = await startRespServer((args) => {
      const name = args[0]?.toUpperCase();
      if (name === "AUTH") return args[1] === password ? { simple: "OK" } : { error: "WRONGPASS invalid username-password pair or user is disabled." };
      if (name === "MGET") return args.slice(1).map((k) => values[k] ?? null);
      return undefined;
    });
    fakes.push(s);
    return s;
  }

  async function sentinel(masterPort: number | null, silent = false): Promise<RespServer> {
    const s = await startRespServer((args) => {
      if (args[0]?.toUpperCase() !== "SENTINEL") return undefined;
      if (silent) return SILENT;
      return masterPort === null ? null : ["127.0.0.1", String(masterPort)];
    });
    fakes.push(s);
    return s;
  }

  const group = (...ports: number[]): SentinelTarget => ({
    id: "labredis",
    component: "cache",
    masterName: "labredis",
    sentinels: ports.map((p) => `127.0.0.1:${p}`),
    password: new Secret("data-pw"),
  });

  it("finds the master through the first sentinel that answers, then reads the key, its twin and trading:enabled", async () => {
    const master = await redis(keys, "data-pw");
    const frozen = await sentinel(master.port, true);
    const good = await sentinel(master.port);
    const target: MarketDataProbeTarget = { check, source: { kind: "sentinel", group: group(frozen.port, good.port) } };
    const start = performance.now();
    const r = await probeMarketData(target, AbortSignal.timeout(800), () => NOW);
    expect(performance.now() - start).toBeLessThan(400);
    expect(r).toMatchObject({ ok: true, data: { key: "last_market_update", ageSeconds: 1.25, tradingEnabled: true, readFrom: `127.0.0.1:${master.port}` } });
    expect(master.commands).toContainEqual(["MGET", "last_market_update", "last_market_update_ms", "trading:enabled"]);
  });

  it("reads a plain Redis instance", async () => {
    const r1 = await redis({ last_market_update: String(Math.floor(NOW / 1000) - 3) });
    const target: MarketDataProbeTarget = {
      check,
      source: { kind: "redis", instance: { id: "redis1", component: "cache", url: `redis://127.0.0.1:${r1.port}` } },
    };
    const r = await probeMarketData(target, AbortSignal.timeout(800), () => NOW);
    expect(r).toMatchObject({ ok: true, data: { ageSeconds: 3.5, tradingEnabled: null } });
  });

  it("a missing key is data (ageSeconds null), not a failure", async () => {
    const r1 = await redis({});
    const s = await sentinel(r1.port);
    const r = await probeMarketData({ check, source: { kind: "sentinel", group: { ...group(s.port), password: undefined } } }, AbortSignal.timeout(800), () => NOW);
    expect(r).toMatchObject({ ok: true, data: { ageSeconds: null, tradingEnabled: null } });
  });

  it("fails when no sentinel names a master", async () => {
    const unknown = await sentinel(null);
    const r = await probeMarketData({ check, source: { kind: "sentinel", group: group(unknown.port, await closedPort()) } }, AbortSignal.timeout(800));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^no sentinel named a master: 127\.0\.0\.1:\d+: does not know master "labredis"; 127\.0\.0\.1:\d+: connection refused$/);
  });

  it("fails when the master is unreachable, or refuses the password, naming where", async () => {
    const port = await closedPort();
    const s = await sentinel(port);
    const r = await probeMarketData({ check, source: { kind: "sentinel", group: group(s.port) } }, AbortSignal.timeout(800));
    expect(r).toMatchObject({ ok: false, error: `connection refused (127.0.0.1:${port})` });

    const locked = await redis(keys, "other-pw");
    const s2 = await sentinel(locked.port);
    const denied = await probeMarketData({ check, source: { kind: "sentinel", group: group(s2.port) } }, AbortSignal.timeout(800));
    expect(denied.ok).toBe(false);
    if (!denied.ok) {
      expect(denied.error).toMatch(/^Redis refused the credentials \(WRONGPASS\)/);
      expect(denied.error).not.toContain("data-pw");
    }
  });

  it("stops at the deadline when every sentinel hangs", async () => {
    const a = await sentinel(1, true);
    const start = performance.now();
    const r = await probeMarketData({ check, source: { kind: "sentinel", group: group(a.port) } }, AbortSignal.timeout(200));
    expect(performance.now() - start).toBeLessThan(500);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/no answer within the deadline/);
  });
});

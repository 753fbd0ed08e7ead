import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fault } from "@/e2e/lab/lab";
import { HOST, REDIS_AUTH, paths } from "@/e2e/lab/topology";
import { loadConfig, Secret } from "@/server/config/load";
import { close, listen } from "@/server/testing/listen";
import { probeRedis } from "./redis";
import { closeRedisClients } from "./redis-connection";
import { labRedisRoles, sentinelCommand, waitRedisLabHealthy } from "./testing/redis-lab";
import type { RedisTarget } from "./types";

/**
 * The redis collector against the real lab, with paired failure cases.
 * Run alone (it kills a Redis node): `flock /tmp/hacr-lab.lock npx vitest run --project lab server/collectors/redis.lab.test.ts`.
 */
describe("redis collector against the lab", () => {
  const config = existsSync(paths.config) ? loadConfig(paths.config) : undefined;
  const DEADLINE_MS = config?.defaults.timeoutMs ?? 800;
  const SLACK_MS = 250;
  const targetFor = (port: number): RedisTarget => {
    const t = config!.redis.find((r) => r.url.endsWith(`:${port}`));
    if (!t) throw new Error(`no redis target for port ${port} in ${paths.config}`);
    return t;
  };
  const timed = async (target: RedisTarget) => {
    const start = performance.now();
    const r = await probeRedis(target, AbortSignal.timeout(DEADLINE_MS));
    return { r, ms: performance.now() - start };
  };

  beforeAll(async () => {
    await waitRedisLabHealthy(60_000);
  });
  afterAll(() => closeRedisClients());

  it("healthy: the master lists its replica with offsets; the replica reports link, offsets and last I/O", async () => {
    const { masterPort, replicaPort } = await labRedisRoles();
    const [master, replica] = await Promise.all([targetFor(masterPort), targetFor(replicaPort)].map((t) => probeRedis(t, AbortSignal.timeout(DEADLINE_MS))));
    expect(master?.ok, JSON.stringify(master)).toBe(true);
    expect(replica?.ok, JSON.stringify(replica)).toBe(true);
    const m = master!.data!;
    expect(m).toMatchObject({ role: "master", connectedReplicas: 1 });
    expect(m.masterReplOffset).toBeGreaterThan(0);
    expect(m.replicas).toHaveLength(1);
    expect(m.replicas[0]).toMatchObject({ address: `${HOST}:${replicaPort}`, state: "online" });
    expect(m.replicas[0]!.offset).toBeGreaterThan(0);
    // The feeder writes continuously; a healthy local replica is at most a few writes behind.
    expect(m.replicas[0]!.offsetLag).toBeLessThan(64 * 1024);
    expect(m.pingMs).toBeLessThan(50);
    expect(m.usedMemory).toBeGreaterThan(0);
    expect(m.maxMemory).not.toBeNull();

    const r = replica!.data!;
    expect(r).toMatchObject({ role: "slave", masterLinkStatus: "up", masterAddress: `${HOST}:${masterPort}`, replicas: [] });
    expect(r.slaveReplOffset).toBeGreaterThan(0);
    expect(r.slaveReadReplOffset).toBeGreaterThanOrEqual(r.slaveReplOffset!);
    expect(r.masterLastIoSecondsAgo).toBeLessThanOrEqual(10);
  });

  it("reuse: two polls use the same connection (same CLIENT ID), the second without connecting", async () => {
    const { masterPort } = await labRedisRoles();
    const target = targetFor(masterPort);
    await probeRedis(target, AbortSignal.timeout(DEADLINE_MS));
    const second = await probeRedis(target, AbortSignal.timeout(DEADLINE_MS));
    expect(second.data?.connectMs).toBe(0);
    // Oracle: Redis's own CLIENT LIST, read as the administrator (the monitor user may not run CLIENT ID).
    const monitorClients = async () =>
      String(await sentinelCommand(masterPort, "CLIENT", "LIST"))
        .split("\n")
        .filter((l) => l.includes(` user=${REDIS_AUTH.monitor.username} `) && l.includes(" name=ha-control-room "))
        .map((l) => /^id=(\d+)/.exec(l)?.[1]);
    const before = await monitorClients();
    expect(before).toHaveLength(1);
    await probeRedis(target, AbortSignal.timeout(DEADLINE_MS));
    expect(await monitorClients()).toEqual(before);
  });

  it("killed: a killed replica is ok:false with a safe error within the deadline, and fine again after a restart", async () => {
    const { replicaPort, replicaName } = await labRedisRoles();
    const target = targetFor(replicaPort);
    expect((await probeRedis(target, AbortSignal.timeout(DEADLINE_MS))).ok).toBe(true); // a cached connection exists
    try {
      await fault("kill", replicaName);
      // The first poll may still meet the cached connection as it dies; the next one connects afresh and is refused.
      const first = await timed(target);
      expect(first.r.ok).toBe(false);
      if (!first.r.ok) expect(first.r.error).toMatch(/^(connection refused|connection reset|connection closed by the peer)$/);
      expect(first.ms).toBeLessThan(DEADLINE_MS + SLACK_MS);
      // Seen once in CI runs: the second poll too met a reset while the killed server's sockets were
      // torn down. Every poll must fail within the deadline, and within a few polls a fresh
      // connection must be refused.
      let next = await timed(target);
      for (let i = 0; i < 4 && !next.r.ok && next.r.error !== "connection refused"; i++) {
        expect(next.r.ok ? "" : next.r.error).toMatch(/^(connection reset|connection closed by the peer)$/);
        expect(next.ms).toBeLessThan(DEADLINE_MS + SLACK_MS);
        await new Promise((r) => setTimeout(r, 100));
        next = await timed(target);
      }
      expect(next.r).toMatchObject({ ok: false, error: "connection refused" });
      expect(next.ms).toBeLessThan(DEADLINE_MS + SLACK_MS);
    } finally {
      await fault("start", replicaName);
      await waitRedisLabHealthy(60_000);
    }
    const { r } = await timed(target);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect(r.data?.role).toBe("slave");
  });

  it("ACL user: the monitor reads what redis-cli reads with the same user, and may not write", async () => {
    const { masterPort } = await labRedisRoles();
    const { r } = await timed(targetFor(masterPort));
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const cli = (...args: string[]) =>
      spawnSync("redis-cli", ["-h", HOST, "-p", String(masterPort), "--user", REDIS_AUTH.monitor.username, "--pass", REDIS_AUTH.monitor.password, "--no-auth-warning", ...args], { encoding: "utf8" }).stdout.trim();
    expect(cli("INFO", "replication")).toContain(`role:${r.data!.role}`);
    expect(cli("SET", "hacr-monitor-probe", "1")).toMatch(/^NOPERM/);
    expect(cli("CONFIG", "SET", "maxmemory", "1")).toMatch(/^NOPERM/);
  });

  it("wrong or missing credentials: the lab's ACL refuses them, in plain words, without the password", async () => {
    const { masterPort } = await labRedisRoles();
    const password = "not-the-lab-password-123";
    for (const url of [`redis://${HOST}:${masterPort}`, `redis://${REDIS_AUTH.monitor.username}@${HOST}:${masterPort}`]) {
      const target: RedisTarget = { id: "wrong-creds", component: "cache", url, password: new Secret(password) };
      const { r, ms } = await timed(target);
      expect(r).toMatchObject({ ok: false, error: "Redis refused the credentials (WRONGPASS); check the username and password" });
      expect(JSON.stringify(r)).not.toContain(password);
      expect(ms).toBeLessThan(DEADLINE_MS + SLACK_MS);
    }
    const none = await timed({ id: "no-creds", component: "cache", url: `redis://${HOST}:${masterPort}` });
    expect(none.r).toMatchObject({ ok: false, error: "Redis requires a password (NOAUTH); set one in the config" });
  });

  it("garbage on the port: a peer that does not speak RESP is ok:false, within the deadline", async () => {
    const sockets: net.Socket[] = [];
    const junk = net.createServer((sock) => {
      sockets.push(sock);
      sock.on("error", () => {});
      sock.write("\x16\x03\x01\x02\x00garbage that is not RESP\r\n");
    });
    const port = await listen(junk);
    try {
      const { r, ms } = await timed({ id: "junk", component: "cache", url: `redis://${HOST}:${port}` });
      expect(r).toMatchObject({ ok: false, error: "the peer does not speak the Redis protocol" });
      expect(ms).toBeLessThan(DEADLINE_MS + SLACK_MS);
    } finally {
      for (const s of sockets) s.destroy();
      await close(junk);
    }
  });
});

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisReplication, sentinelMasters } from "@/e2e/lab/inspect";
import { fault } from "@/e2e/lab/lab";
import { HOST, REDIS_MASTER_NAME, SENTINEL_AUTH, SENTINELS, paths } from "@/e2e/lab/topology";
import { loadConfig, Secret } from "@/server/config/load";
import { close, listen } from "@/server/testing/listen";
import { closeRedisClients } from "./redis-connection";
import { probeSentinel, watchSentinel } from "./sentinel";
import { labRedisRoles, sentinelCommand, waitRedisLabHealthy } from "./testing/redis-lab";
import type { PushEvent, SentinelTarget } from "./types";

/**
 * The sentinel collector and its push watcher against the real lab, with paired failure cases.
 * Run alone (it freezes a sentinel and fails Redis over):
 * `flock /tmp/hacr-lab.lock npx vitest run --project lab server/collectors/sentinel.lab.test.ts`.
 */
describe("sentinel collector against the lab", () => {
  const config = existsSync(paths.config) ? loadConfig(paths.config) : undefined;
  const target = () => config!.sentinels[0]!;
  const DEADLINE_MS = config?.defaults.timeoutMs ?? 800;
  const SLACK_MS = 250;
  const timed = async (t: SentinelTarget) => {
    const start = performance.now();
    const r = await probeSentinel(t, AbortSignal.timeout(DEADLINE_MS));
    return { r, ms: performance.now() - start };
  };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  beforeAll(async () => {
    await waitRedisLabHealthy(60_000);
  });
  afterAll(() => closeRedisClients());

  it("healthy: three sentinels agree on the master, see its replica, CKQUORUM OK", async () => {
    const { masterPort, replicaPort } = await labRedisRoles();
    const { r, ms } = await timed(target());
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect(ms).toBeLessThan(DEADLINE_MS);
    expect(r.data).toMatchObject({ master: `${HOST}:${masterPort}`, agree: true, quorumOk: true });
    expect(r.data?.sentinels).toHaveLength(SENTINELS.length);
    for (const s of r.data!.sentinels) {
      expect(s, s.address).toMatchObject({
        ok: true, flags: ["master"], replicas: 1, otherSentinels: 2, knownSentinels: 2, quorum: 2, failoverTimeoutMs: 3000,
        ckquorum: { ok: true },
      });
      expect(s.ckquorum?.message).toMatch(/^OK 3 usable Sentinels/);
      expect(s.configEpoch).toBeGreaterThanOrEqual(0);
      expect(s.replicaNodes).toHaveLength(1);
      expect(s.replicaNodes[0]).toMatchObject({ address: `${HOST}:${replicaPort}`, flags: ["slave"], masterLinkStatus: "ok" });
      expect(s.replicaNodes[0]!.replOffset).toBeGreaterThan(0);
    }
  });

  it("frozen: with sentinel2 stopped the probe still returns within the deadline, that sentinel failed, the others answer", async () => {
    try {
      await fault("stop", "sentinel2");
      for (let i = 0; i < 2; i++) {
        const { r, ms } = await timed(target());
        expect(ms).toBeLessThan(DEADLINE_MS + SLACK_MS);
        expect(r.ok).toBe(true);
        const [s1, s2, s3] = r.data!.sentinels;
        expect(s2).toMatchObject({ address: `${HOST}:${SENTINELS[1].port}`, ok: false });
        expect(s2?.error).toMatch(/^no answer within the deadline/);
        expect([s1?.ok, s3?.ok]).toEqual([true, true]);
        expect(r.data?.agree).toBe(true);
      }
    } finally {
      await fault("resume", "sentinel2");
      await waitRedisLabHealthy(60_000);
    }
    expect((await timed(target())).r.data?.sentinels.every((s) => s.ok)).toBe(true);
  });

  it("wrong or missing credentials: the lab's sentinels refuse them, in plain words, without the password", async () => {
    const password = "not-the-sentinel-password-456";
    const { r, ms } = await timed({ ...target(), sentinelPassword: new Secret(password) });
    expect(ms).toBeLessThan(DEADLINE_MS + SLACK_MS);
    expect(r.ok).toBe(false);
    for (const s of r.data!.sentinels) expect(s.error).toBe("Sentinel refused the credentials (WRONGPASS); check the username and password");
    expect(JSON.stringify(r)).not.toContain(password);
    const none = await timed({ ...target(), sentinelUsername: undefined, sentinelPassword: undefined });
    expect(none.r.ok).toBe(false);
    for (const s of none.r.data!.sentinels) expect(s.error).toBe("Sentinel requires a password (NOAUTH); set one in the config");
  });

  it("ACL user: the dashboard's sentinel user reads what redis-cli reads as that user, and may not reconfigure Sentinel", async () => {
    const { r } = await timed(target());
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const cli = (...args: string[]) =>
      spawnSync("redis-cli", ["-h", HOST, "-p", String(SENTINELS[0].port), "--user", SENTINEL_AUTH.dashboard.username, "--pass", SENTINEL_AUTH.dashboard.password, "--no-auth-warning", ...args], { encoding: "utf8" }).stdout.trim();
    expect(cli("SENTINEL", "GET-MASTER-ADDR-BY-NAME", REDIS_MASTER_NAME).split("\n").join(":")).toBe(r.data!.master);
    expect(cli("SENTINEL", "SET", REDIS_MASTER_NAME, "quorum", "1")).toMatch(/^NOPERM/);
    expect(cli("SENTINEL", "RESET", REDIS_MASTER_NAME)).toMatch(/^NOPERM/);
  });

  it("garbage on the port: a listed 'sentinel' that does not speak RESP fails alone", async () => {
    const sockets: net.Socket[] = [];
    const junk = net.createServer((sock) => {
      sockets.push(sock);
      sock.on("error", () => {});
      sock.write("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n");
    });
    const port = await listen(junk);
    try {
      const { r, ms } = await timed({ ...target(), sentinels: [`${HOST}:${port}`, ...target().sentinels] });
      expect(ms).toBeLessThan(DEADLINE_MS + SLACK_MS);
      expect(r.ok).toBe(true);
      expect(r.data?.sentinels[0]).toMatchObject({ ok: false, error: "the peer does not speak the Redis protocol" });
      expect(r.data?.sentinels.slice(1).every((s) => s.ok)).toBe(true);
    } finally {
      for (const s of sockets) s.destroy();
      await close(junk);
    }
  });

  it("push before poll: +switch-master arrives within about 2 s of SENTINEL FAILOVER", { timeout: 120_000 }, async () => {
    const until = async (what: string, cond: () => boolean | Promise<boolean>, ms: number) => {
      const end = performance.now() + ms;
      while (!(await cond())) {
        if (performance.now() > end) throw new Error(`${what}: not within ${ms} ms`);
        await sleep(100);
      }
    };
    const events: (PushEvent & { ms: number })[] = [];
    let t0 = 0;
    const watch = watchSentinel(target(), (e) => events.push({ ...e, ms: Math.round(performance.now() - t0) }));
    try {
      await until("watcher subscribed on all sentinels", () => watch.subscribed().length === SENTINELS.length, 10_000);
      const { masterPort: oldPort, replicaPort: newPort } = await labRedisRoles();

      t0 = performance.now();
      expect(await sentinelCommand(SENTINELS[0].port, "SENTINEL", "FAILOVER", REDIS_MASTER_NAME)).toBe("OK");
      // What a poller sees: the first probe (every 250 ms here) in which all sentinels name the new master.
      let pollAgreeMs: number | undefined;
      let oldMasterReplicaMs: number | undefined;
      await until("+switch-master pushed", () => events.some((e) => e.type === "+switch-master"), 15_000);
      await until(
        "sentinels agree on the new master and the old master is a linked replica",
        async () => {
          const r = await probeSentinel(target(), AbortSignal.timeout(DEADLINE_MS));
          if (pollAgreeMs === undefined && r.data?.agree && r.data.master === `${HOST}:${newPort}` && r.data.sentinels.every((s) => s.ok)) {
            pollAgreeMs = Math.round(performance.now() - t0);
          }
          const old = await redisReplication(oldPort);
          if (oldMasterReplicaMs === undefined && old?.role === "slave") oldMasterReplicaMs = Math.round(performance.now() - t0);
          return pollAgreeMs !== undefined && old?.role === "slave" && old.master_link_status === "up";
        },
        45_000,
      );
      const switches = events.filter((e) => e.type === "+switch-master");
      const timeline = events.map((e) => `${String(e.ms).padStart(6)} ms  ${e.type.padEnd(30)} ${e.source}  ${e.message}`).join("\n");
      console.log(
        `SENTINEL FAILOVER at t0; +switch-master pushed at ${switches[0]!.ms} ms (${switches.length} delivered after de-duplication); ` +
          `all sentinels agreed by poll at ${pollAgreeMs} ms; old master became a replica at ${oldMasterReplicaMs} ms\n${timeline}`,
      );
      expect(switches[0]!.message).toBe(`${REDIS_MASTER_NAME} ${HOST} ${oldPort} ${HOST} ${newPort}`);
      expect(switches[0]!.targetId).toBe(target().id);
      expect(switches[0]!.ms).toBeLessThan(5_000);
      // The leader's detailed sequence is there too (only it publishes those).
      expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(["+try-failover", "+elected-leader", "+promoted-slave", "+failover-end"]));
      expect(Object.values(await sentinelMasters())).toEqual(SENTINELS.map(() => `${HOST}:${newPort}`));
    } finally {
      watch.close();
      await waitRedisLabHealthy(60_000);
    }
  });
});

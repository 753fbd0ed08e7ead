import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { HOST, PG_NODES, REDIS_NODES, SENTINELS, paths } from "@/e2e/lab/topology";
import { loadConfig } from "@/server/config/load";
import { collectors } from "./index";

/**
 * Each collector against the real lab (read-only: it never starts, stops or faults anything).
 * Run with the lab up: `npx vitest run --project lab server/collectors/collectors.lab.test.ts`.
 */
describe("collectors against the lab", () => {
  const config = existsSync(paths.config) ? loadConfig(paths.config) : undefined;
  const deadline = () => AbortSignal.timeout(2_000);

  it("patroni: the leader matches what Patroni's REST API says directly", async () => {
    const direct = (await (await fetch(`http://${HOST}:${PG_NODES[0].rest}/cluster`)).json()) as { members: { name: string; role: string }[] };
    const r = await collectors.patroni.probe(config!.clusters[0]!, deadline());
    expect(r.ok).toBe(true);
    expect(r.data?.leader).toBe(direct.members.find((m) => m.role === "leader")?.name);
    expect(r.data?.members.map((m) => m.name).sort()).toEqual(PG_NODES.map((n) => n.name));
  });

  it("sentinel: every sentinel names the same master, one of the lab's Redis nodes", async () => {
    const r = await collectors.sentinel.probe(config!.sentinels[0]!, deadline());
    expect(r.ok).toBe(true);
    expect(r.data?.sentinels).toHaveLength(SENTINELS.length);
    expect(r.data?.agree).toBe(true);
    expect(REDIS_NODES.map((n) => `${HOST}:${n.port}`)).toContain(r.data?.master);
  });

  it("redis: one master and one replica", async () => {
    // After a Sentinel failover (an earlier test file's), the old master keeps its role until Sentinel
    // reconfigures it on its ~10 s poll: the lab settles to one master and one replica within that.
    const roles = async () => {
      const results = await Promise.all(config!.redis.map((t) => collectors.redis.probe(t, deadline())));
      return results.map((r) => (r.ok ? r.data.role : `down: ${r.error}`)).sort();
    };
    await expect.poll(roles, { timeout: 30_000, interval: 1000 }).toEqual(["master", "slave"]);
  });

  it("haproxy: the stats CSV has the lab's backends", async () => {
    const r = await collectors.haproxy.probe(config!.haproxy[0]!, deadline());
    expect(r.ok).toBe(true);
    expect(r.data?.proxies.filter((p) => p.backend).length).toBeGreaterThan(0);
  });

  it("vrrp: each instance has exactly one MASTER", async () => {
    for (const t of config!.vrrp) {
      const r = await collectors.vrrp.probe(t, deadline());
      expect(r.ok, `${t.instance}: ${r.ok ? "" : r.error}`).toBe(true);
      expect(r.data?.masters).toHaveLength(1);
    }
  });

  it("http and tcp: the lab's services answer", async () => {
    const http = await Promise.all(config!.http.map((t) => collectors.http.probe(t, deadline())));
    const tcp = await Promise.all(config!.tcp.map((t) => collectors.tcp.probe(t, deadline())));
    expect(http.map((r) => r.ok)).toEqual(config!.http.map(() => true));
    expect(tcp.map((r) => r.ok)).toEqual(config!.tcp.map(() => true));
  });
});

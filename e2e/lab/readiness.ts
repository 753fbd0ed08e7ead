/** What "the lab is up" means: every check below passes, polled together until a deadline. */
import { HOST, OIDC, REDIS_NODES, SENTINELS, STORE_PG, VRRP_INSTANCES, paths } from "./topology";
import { sleep } from "./proc";
import { amReady, sinkUp } from "./alerting";
import {
  appHealth, etcdHealth, haproxyRwTarget, haproxyStats, healthyPatroni, httpStatus, pgQuery, redisReplication, sentinelCkquorum, sentinelMasters,
  vipHolder, vipViaRelay, vrrpStates,
} from "./inspect";

type Step = { what: string; check: () => Promise<boolean> | boolean };

const readiness: Step[] = [
  { what: "etcd: all 3 members healthy, one leader", check: async () => (await etcdHealth())?.every((m) => m.healthy && m.leader !== null) ?? false },
  {
    what: "keepalived: one MASTER per instance, VIP answers there",
    check: () =>
      VRRP_INSTANCES.every((vi) => {
        const masters = vrrpStates().filter((s) => s.instance === vi.name && s.state === "MASTER");
        return masters.length === 1 && vipHolder(vi.vip) === masters[0]?.node;
      }),
  },
  {
    what: "VIP relay: each VIP answers through 127.0.0.1 as in the bridge namespace",
    check: async () => (await Promise.all(VRRP_INSTANCES.map(async (vi) => (await vipViaRelay(vi.name)) === vipHolder(vi.vip)))).every(Boolean),
  },
  {
    what: "Patroni: leader + 2 streaming replicas, sync standby",
    check: async () => (await healthyPatroni()) !== undefined,
  },
  {
    what: "HAProxy pg_rw reaches the leader",
    check: async () => {
      const t = await haproxyRwTarget();
      return t !== undefined && !t.inRecovery;
    },
  },
  {
    what: "Redis replica linked, 3 Sentinels agree, quorum OK",
    check: async () => {
      const masters = Object.values(await sentinelMasters());
      if (masters.length !== 3 || !masters[0] || new Set(masters).size !== 1) return false;
      const masterPort = Number(masters[0].split(":")[1]);
      const replica = REDIS_NODES.find((n) => n.port !== masterPort);
      const info = replica ? await redisReplication(replica.port) : undefined;
      const q = await sentinelCkquorum(SENTINELS[0].port);
      return info?.master_link_status === "up" && (q ?? "").startsWith("OK 3");
    },
  },
  {
    what: "control-store PostgreSQL (tests) accepts connections",
    check: async () => (await pgQuery<{ one: number }>(STORE_PG.port, "select 1 as one").catch(() => []))[0]?.one === 1,
  },
  {
    what: "Alertmanager ready, webhook sink answers",
    check: async () => (await Promise.all([amReady(), sinkUp()])).every(Boolean),
  },
  {
    what: "OpenID provider publishes its discovery document",
    check: async () => (await httpStatus(`http://${HOST}:${OIDC.port}/.well-known/openid-configuration`)) === 200,
  },
  {
    what: "apps healthy (trading engines, OMS, risk), HAProxy trading backend UP",
    check: async () => {
      const codes = await Promise.all((["te1", "te2", "oms", "risk"] as const).map(appHealth));
      if (!codes.every((c) => c === 200)) return false;
      const rows = await haproxyStats();
      return (rows ?? []).filter((r) => r.pxname === "trading" && r.svname.startsWith("te") && r.status === "UP").length === 2;
    },
  },
];

export async function waitReady(t0: number, timeoutMs: number, log: (line: string) => void = console.log): Promise<void> {
  const pending = new Set(readiness);
  const until = Date.now() + timeoutMs;
  while (pending.size > 0) {
    await Promise.all(
      [...pending].map(async (s) => {
        let ok = false;
        try {
          ok = await s.check();
        } catch {
          ok = false;
        }
        if (ok) {
          pending.delete(s);
          log(`  ready  ${((Date.now() - t0) / 1000).toFixed(1).padStart(5)} s  ${s.what}`);
        }
      }),
    );
    if (pending.size === 0) break;
    if (Date.now() > until) {
      throw new Error(`lab not ready after ${timeoutMs / 1000} s: ${[...pending].map((s) => s.what).join("; ")}. Logs: ${paths.logs}`);
    }
    await sleep(250);
  }
}

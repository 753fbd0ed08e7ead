/**
 * The fault catalogue: one small definition per scenario. Each says how to inject the fault, the phases
 * the real world goes through (an oracle predicate over the components' own answers, and the verdict the
 * dashboard should show meanwhile), how to undo it, and which failure mode it is for the RTO scoreboard.
 * The runner waits for the whole lab to be healthy (oracles and dashboard) before and after each one.
 */
import { spawnSync } from "node:child_process";
import type { FailureMode } from "../../lib/rto";
import type { Snapshot } from "../../lib/snapshot";
import * as lab from "../../e2e/lab/lab";
import { sleep } from "../../e2e/lab/proc";
import { ETCD_MEMBERS, HOST, PG_SCOPE, etcdEndpoints, REDIS_NODES, VRRP_INSTANCES, VRRP_NODES } from "../../e2e/lab/topology";
import type { Expect } from "./measure";
import { majority, type World } from "./oracles";

export type { FailureMode };

export interface Ctx {
  /** The oracles' latest reading. */
  world(): World;
  /** Names resolved at injection (the leader then, the master then), for the predicates and the undo. */
  vars: Record<string, string>;
  /** The lab driver's API, including verbs other checkouts may not have yet. */
  lab: Record<string, unknown>;
}

export interface Phase {
  label: string;
  /** Which of the components' own tools say so. */
  oracle: string;
  faulty(w: World, ctx: Ctx): boolean;
  expect: Expect;
  /** A check of the snapshot beyond statuses (e.g. which node the VRRP view names MASTER); returns what is wrong. */
  also?(snap: Snapshot, ctx: Ctx): string | null;
  optional?: boolean;
}

export interface Scenario {
  id: string;
  title: string;
  /**
   * The DR document's failure mode, by the rules the SLA model classifies stored incidents with
   * (server/sla/failure-mode.ts); null for a planned change that should make no incident.
   */
  mode: FailureMode | null;
  /** Lab driver exports the scenario needs; it is skipped, saying so, when one is missing. */
  needs?: string[];
  inject(ctx: Ctx): Promise<void>;
  phases: Phase[];
  /** Extra oracle reads for this scenario, into `World.extra` (e.g. timing a request through a slow path). */
  probes?: Record<string, () => Promise<unknown>>;
  /** Keep the fault at least this long, and at most `maxHoldMs`; in between, until every phase is confirmed (+2 s). */
  minHoldMs?: number;
  maxHoldMs?: number;
  undo(ctx: Ctx): Promise<void>;
}

type Fault = (verb: "kill" | "stop" | "resume" | "start", target: string) => Promise<string>;
const fault: Fault = (verb, target) => lab.fault(verb, target);

/** A lab verb another checkout adds; the runner checks `needs` first, so a missing one is a bug here. */
function verb<F extends (...args: never[]) => unknown>(ctx: Ctx, name: string): F {
  const f = ctx.lab[name];
  if (typeof f !== "function") throw new Error(`the lab driver has no ${name}()`);
  return f as F;
}

// What the world looks like, in the components' own words.
const memberWith = (w: World, role: string) => w.members?.find((m) => m.role === role)?.name;
const noWritablePrimary = (w: World) => !w.rw || w.rw.inRecovery;
const pgNodeSilent = (w: World, node: string) => !w.patroni[node] && !w.pg[node];
const redisMasters = (w: World) => REDIS_NODES.filter((n) => w.redis[n.name]?.role === "master").map((n) => n.name);
const sentinelMaster = (w: World) => {
  const addr = majority(Object.values(w.sentinels));
  return REDIS_NODES.find((n) => addr === `${HOST}:${n.port}`)?.name;
};
const vipsOn = (w: World, node: string) => Object.values(w.vips).every((h) => h.length === 1 && h[0] === node);
const need = (v: string | undefined, what: string): string => {
  if (!v) throw new Error(`cannot tell ${what} right now`);
  return v;
};

const CRITICAL = ["CRITICAL"] as const;
const DEGRADED = ["DEGRADED"] as const;
const dbDown: Expect = { components: { database: ["DOWN"] }, overall: CRITICAL };
const dbDegraded: Expect = { components: { database: ["DEGRADED"] }, overall: DEGRADED };

/**
 * Seen in the lab (Patroni 3.0.2): when a frozen leader resumes after its replica promoted, it retakes the
 * leader lock, the replica demotes itself, and the DCS sync key keeps naming the demoted node as leader;
 * the leader then logs "Synchronous replication key updated by someone else" every loop and the cluster
 * has no synchronous standby, indefinitely. Left alone it poisons every later scenario, so after 30 s
 * the runner deletes the key (Patroni rewrites it at once) and notes that it had to.
 */
async function repairStaleSyncKey(ctx: Ctx): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (ctx.world().members?.some((m) => m.role === "sync_standby")) return;
    await sleep(500);
  }
  const key = `/service/${PG_SCOPE}/sync`;
  const r = spawnSync("etcdctl", [`--endpoints=${etcdEndpoints().join(",")}`, "get", key, "--print-value-only"], { encoding: "utf8", timeout: 5000 });
  const leader = memberWith(ctx.world(), "leader");
  const stale = (JSON.parse(r.stdout.trim() || "{}") as { leader?: string }).leader;
  if (leader && stale && stale !== leader) {
    spawnSync("etcdctl", [`--endpoints=${etcdEndpoints().join(",")}`, "del", key], { timeout: 5000 });
    ctx.vars.repaired = `the DCS sync key still named ${stale} as leader while ${leader} held the lock; no sync standby for 30 s; the runner deleted the key`;
  }
}

/** The risk engine's /health through the lab's latency proxy (absent until the lab has one). */
function latencyUrl(): string {
  const targets = (lab as Record<string, unknown>).LATENCY_TARGETS as Record<string, { port: number }> | undefined;
  return `http://${HOST}:${targets?.risk?.port ?? 0}/health`;
}

/** ms until a GET answers (any status); undefined when it does not within 3 s. */
async function timedGet(url: string): Promise<number | undefined> {
  const t0 = performance.now();
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(3000) });
    await r.arrayBuffer();
    return performance.now() - t0;
  } catch {
    return undefined;
  }
}

/** A whole app process killed or frozen: its component DOWN. */
function appScenario(opts: { id: string; title: string; names: string[]; how: "kill" | "stop"; component: string; overall: Expect["overall"] }): Scenario {
  const gone = opts.how === "kill" ? "gone" : "frozen";
  return {
    id: opts.id,
    title: opts.title,
    mode: "software-crash",
    inject: async () => {
      for (const n of opts.names) await fault(opts.how, n);
    },
    phases: [
      {
        label: `${opts.names.join(", ")} ${gone}`,
        oracle: "/proc",
        faulty: (w) => opts.names.every((n) => w.procs[n] === gone),
        expect: { components: { [opts.component]: ["DOWN"] }, overall: opts.overall },
      },
    ],
    undo: async () => {
      for (const n of opts.names) await fault(opts.how === "kill" ? "start" : "resume", n);
    },
  };
}

export const CATALOGUE: Scenario[] = [
  {
    id: "pg-leader-kill",
    title: "PostgreSQL leader node SIGKILL (Patroni + PostgreSQL)",
    mode: "database",
    inject: async (ctx) => {
      ctx.vars.node = need(memberWith(ctx.world(), "leader"), "the leader");
      await fault("kill", ctx.vars.node);
    },
    phases: [
      { label: "no writable primary", oracle: "psql :5440", faulty: noWritablePrimary, expect: dbDown },
      {
        label: "failed over, old leader gone",
        oracle: "psql :5440 + Patroni REST",
        faulty: (w, c) => !noWritablePrimary(w) && pgNodeSilent(w, c.vars.node!),
        expect: dbDegraded,
      },
    ],
    minHoldMs: 16_000,
    undo: (ctx) => fault("start", ctx.vars.node!).then(() => {}),
  },
  {
    id: "pg-leader-postgres-stop",
    title: "PostgreSQL leader's postgres SIGSTOP (hang, not crash)",
    mode: "database",
    inject: async (ctx) => {
      ctx.vars.node = need(memberWith(ctx.world(), "leader"), "the leader");
      await fault("stop", `${ctx.vars.node}-postgres`);
    },
    phases: [
      { label: "no writable primary", oracle: "psql :5440", faulty: noWritablePrimary, expect: dbDown },
      {
        label: "failed over, old primary frozen",
        oracle: "psql :5440 + /proc",
        faulty: (w, c) => !noWritablePrimary(w) && w.procs[`${c.vars.node}-postgres`] === "frozen",
        expect: dbDegraded,
        optional: true,
      },
    ],
    minHoldMs: 16_000,
    undo: async (ctx) => {
      await fault("resume", `${ctx.vars.node}-postgres`);
      await repairStaleSyncKey(ctx);
    },
  },
  {
    id: "pg-sync-kill",
    title: "PostgreSQL sync standby node SIGKILL",
    mode: "database",
    inject: async (ctx) => {
      ctx.vars.node = need(memberWith(ctx.world(), "sync_standby"), "the sync standby");
      await fault("kill", ctx.vars.node);
    },
    phases: [{ label: "sync standby gone", oracle: "Patroni REST + psql on the node", faulty: (w, c) => pgNodeSilent(w, c.vars.node!) && !noWritablePrimary(w), expect: dbDegraded }],
    undo: (ctx) => fault("start", ctx.vars.node!).then(() => {}),
  },
  {
    id: "pg-replica-stop",
    title: "PostgreSQL async replica node SIGSTOP",
    mode: "database",
    inject: async (ctx) => {
      ctx.vars.node = need(memberWith(ctx.world(), "replica"), "the async replica");
      await fault("stop", ctx.vars.node);
    },
    phases: [{ label: "replica frozen", oracle: "Patroni REST + psql on the node", faulty: (w, c) => pgNodeSilent(w, c.vars.node!), expect: dbDegraded }],
    undo: (ctx) => fault("resume", ctx.vars.node!).then(() => {}),
  },
  {
    id: "pg-orphan-primary",
    title: "Patroni SIGKILL on the leader, its PostgreSQL left running (orphan primary)",
    mode: "network-partition",
    inject: async (ctx) => {
      ctx.vars.node = need(memberWith(ctx.world(), "leader"), "the leader");
      await fault("kill", `${ctx.vars.node}-patroni`);
    },
    phases: [
      {
        label: "Patroni gone, leader key not yet expired",
        oracle: "/proc + psql on the node + Patroni /cluster",
        faulty: (w, c) => w.procs[c.vars.node!] === "gone" && w.pg[c.vars.node!]?.inRecovery === false && !w.members?.some((m) => m.role === "leader" && m.name !== c.vars.node),
        expect: dbDegraded,
      },
      {
        label: "orphan primary beside a new leader",
        oracle: "psql on each node + Patroni /cluster",
        faulty: (w, c) => w.pg[c.vars.node!]?.inRecovery === false && !!w.members?.some((m) => m.role === "leader" && m.name !== c.vars.node),
        expect: { overall: CRITICAL, findings: ["orphan-primary:"] },
      },
    ],
    minHoldMs: 22_000,
    maxHoldMs: 30_000,
    undo: (ctx) => fault("start", ctx.vars.node!).then(() => {}),
  },
  ...(["kill", "stop"] as const).map<Scenario>((how) => ({
    id: `etcd-${how}`,
    title: `etcd ${how === "kill" ? "SIGKILL" : "SIGSTOP"} (every member)`,
    mode: "database",
    inject: () => fault(how, "etcd").then(() => {}),
    phases: [
      {
        label: "DCS down",
        oracle: "etcdctl endpoint health",
        faulty: (w) => w.etcd.every((e) => !e.healthy),
        expect: { ...dbDown, says: { component: "database", text: "cannot renew the leader key" } },
      },
    ],
    minHoldMs: 16_000,
    undo: () => fault(how === "kill" ? "start" : "resume", "etcd").then(() => {}),
  })),
  {
    id: "etcd-member-kill",
    title: "one etcd member SIGKILL (quorum kept)",
    mode: "database",
    inject: () => fault("kill", ETCD_MEMBERS[0].name).then(() => {}),
    phases: [
      {
        label: "one member down, quorum kept",
        oracle: "etcdctl endpoint health",
        faulty: (w) => w.etcd.filter((e) => !e.healthy).length === 1,
        expect: { ...dbDegraded, says: { component: "database", text: "quorum kept" } },
      },
    ],
    undo: () => fault("start", ETCD_MEMBERS[0].name).then(() => {}),
  },
  {
    id: "pg-sync-then-leader",
    title: "PostgreSQL sync standby lost, then the leader",
    mode: "database",
    inject: async (ctx) => {
      ctx.vars.sync = need(memberWith(ctx.world(), "sync_standby"), "the sync standby");
      ctx.vars.node = need(memberWith(ctx.world(), "leader"), "the leader");
      await fault("kill", ctx.vars.sync);
      await sleep(5000);
      await fault("kill", ctx.vars.node);
    },
    phases: [
      { label: "sync standby gone", oracle: "Patroni REST + psql", faulty: (w, c) => pgNodeSilent(w, c.vars.sync!) && !noWritablePrimary(w), expect: dbDegraded },
      { label: "then no writable primary", oracle: "psql :5440", faulty: (w, c) => pgNodeSilent(w, c.vars.sync!) && noWritablePrimary(w), expect: dbDown },
    ],
    minHoldMs: 22_000,
    undo: async (ctx) => {
      await fault("start", ctx.vars.sync!);
      await fault("start", ctx.vars.node!);
    },
  },
  {
    id: "pg-replay-paused",
    title: "standby replay paused while the primary takes writes (lag > 5 s)",
    mode: "database",
    needs: ["replayPause"],
    inject: async (ctx) => {
      ctx.vars.node = need(memberWith(ctx.world(), "replica") ?? memberWith(ctx.world(), "sync_standby"), "a standby");
      await verb<(on: boolean, node?: string) => Promise<unknown>>(ctx, "replayPause")(true, ctx.vars.node);
    },
    phases: [
      {
        label: "replay paused, lag > 5 s",
        oracle: "psql on the standby (pg_is_wal_replay_paused, replay age)",
        faulty: (w, c) => !!w.pg[c.vars.node!]?.replayPaused && (w.pg[c.vars.node!]?.replayAgeS ?? 0) > 5 && w.pg[c.vars.node!]?.caughtUp === false,
        expect: { ...dbDegraded, says: { component: "database", text: "replay lag" } },
      },
    ],
    minHoldMs: 14_000,
    undo: async (ctx) => {
      await verb<(on: boolean, node?: string) => Promise<unknown>>(ctx, "replayPause")(false, ctx.vars.node);
    },
  },
  ...(["kill", "stop"] as const).map<Scenario>((how) => ({
    id: `haproxy-${how}`,
    title: `HAProxy ${how === "kill" ? "SIGKILL" : "SIGSTOP"}`,
    mode: "software-crash",
    inject: () => fault(how, "haproxy").then(() => {}),
    phases: [{ label: "HAProxy silent", oracle: "show stat on the admin socket + psql :5440", faulty: (w) => !w.haproxy && !w.rw, expect: { components: { "load-balancer": ["DOWN"] }, overall: DEGRADED } }],
    undo: () => fault(how === "kill" ? "start" : "resume", "haproxy").then(() => {}),
  })),
  ...(["kill", "stop"] as const).map<Scenario>((how) => ({
    id: `redis-master-${how}`,
    title: `Redis master ${how === "kill" ? "SIGKILL" : "SIGSTOP"}; on undo it returns as a master (two masters until Sentinel demotes it)`,
    mode: "network-partition",
    inject: async (ctx) => {
      ctx.vars.node = need(sentinelMaster(ctx.world()), "the Redis master");
      await fault(how, ctx.vars.node);
    },
    phases: [
      { label: "no Redis master", oracle: "INFO replication", faulty: (w) => redisMasters(w).length === 0, expect: { components: { cache: ["DOWN"] }, overall: CRITICAL }, optional: how === "stop" },
      {
        label: "failed over, old master silent",
        oracle: "INFO replication + SENTINEL get-master-addr-by-name",
        faulty: (w, c) => !w.redis[c.vars.node!] && redisMasters(w).length === 1 && sentinelMaster(w) === redisMasters(w)[0],
        expect: { components: { cache: ["DEGRADED"] }, overall: DEGRADED },
      },
      {
        label: "old master back as a second master",
        oracle: "INFO replication on each node",
        faulty: (w) => redisMasters(w).length > 1,
        expect: { overall: CRITICAL, findings: ["redis-masters:"] },
        optional: true,
      },
    ],
    minHoldMs: 10_000,
    undo: (ctx) => fault(how === "kill" ? "start" : "resume", ctx.vars.node!).then(() => {}),
  })),
  {
    id: "redis-two-masters",
    title: "Redis: the old master restarted as a master (two masters)",
    mode: "network-partition",
    needs: ["redisTwoMasters"],
    inject: async (ctx) => {
      await verb<(on: boolean) => Promise<unknown>>(ctx, "redisTwoMasters")(true);
    },
    phases: [{ label: "two Redis masters", oracle: "INFO replication on each node", faulty: (w) => redisMasters(w).length > 1, expect: { overall: CRITICAL, findings: ["redis-masters:"] } }],
    undo: async (ctx) => {
      await verb<(on: boolean) => Promise<unknown>>(ctx, "redisTwoMasters")(false);
    },
  },
  {
    id: "sentinel-kill-one",
    title: "one Sentinel SIGKILL (still quorate)",
    mode: "software-crash",
    inject: () => fault("kill", "sentinel1").then(() => {}),
    phases: [{ label: "one Sentinel silent", oracle: "SENTINEL get-master-addr-by-name", faulty: (w) => !w.sentinels.sentinel1 && !!w.sentinels.sentinel2 && !!w.sentinels.sentinel3, expect: { components: { cache: ["DEGRADED"] }, overall: DEGRADED } }],
    undo: () => fault("start", "sentinel1").then(() => {}),
  },
  {
    id: "sentinel-kill-two",
    title: "two Sentinels SIGKILL (below quorum: no failover possible)",
    mode: "software-crash",
    inject: async () => {
      await fault("kill", "sentinel1");
      await fault("kill", "sentinel2");
    },
    phases: [
      {
        label: "two Sentinels silent",
        oracle: "SENTINEL get-master-addr-by-name",
        faulty: (w) => !w.sentinels.sentinel1 && !w.sentinels.sentinel2,
        expect: { components: { cache: ["DEGRADED"] }, overall: DEGRADED, says: { component: "cache", text: "no automatic failover" } },
      },
    ],
    undo: async () => {
      await fault("start", "sentinel1");
      await fault("start", "sentinel2");
    },
  },
  {
    id: "redis-maxmemory",
    title: "Redis maxmemory just above used memory (> 90%)",
    mode: "software-crash",
    needs: ["maxmemory"],
    inject: async (ctx) => {
      ctx.vars.node = need(sentinelMaster(ctx.world()), "the Redis master");
      await verb<(on: boolean, node?: string) => Promise<unknown>>(ctx, "maxmemory")(true, ctx.vars.node);
    },
    phases: [
      {
        label: "memory > 90% of maxmemory",
        oracle: "INFO memory",
        faulty: (w, c) => {
          const r = w.redis[c.vars.node!];
          return !!r && r.max > 0 && r.used / r.max > 0.9;
        },
        expect: { components: { cache: ["DEGRADED"] }, overall: DEGRADED },
      },
    ],
    undo: async (ctx) => {
      await verb<(on: boolean, node?: string) => Promise<unknown>>(ctx, "maxmemory")(false, ctx.vars.node);
    },
  },
  {
    id: "keepalived-master-kill",
    title: "keepalived MASTER SIGKILL (its VIPs stay configured: duplicate VIP)",
    mode: "network-partition",
    inject: async (ctx) => {
      ctx.vars.node = need(ctx.world().vips[VRRP_INSTANCES[0].vip]?.[0], "the VIP holder");
      await fault("kill", ctx.vars.node);
    },
    phases: [
      {
        label: "a VIP on two nodes",
        oracle: "ip -n <netns> addr",
        faulty: (w) => Object.values(w.vips).some((h) => h.length > 1),
        expect: { overall: CRITICAL, findings: ["duplicate-vip"] },
      },
    ],
    undo: (ctx) => fault("start", ctx.vars.node!).then(() => {}),
  },
  {
    id: "vrrp-partition",
    title: "VRRP partition: the nodes stop hearing each other (both MASTER)",
    mode: "network-partition",
    needs: ["partition"],
    inject: async (ctx) => {
      await verb<(on: boolean) => unknown>(ctx, "partition")(true);
    },
    phases: [
      {
        label: "every VIP on both nodes",
        oracle: "ip -n <netns> addr",
        faulty: (w) => Object.values(w.vips).every((h) => h.length > 1),
        expect: { overall: CRITICAL, findings: ["split-brain:"] },
      },
    ],
    undo: async (ctx) => {
      await verb<(on: boolean) => unknown>(ctx, "partition")(false);
    },
  },
  {
    id: "vrrp-drain",
    title: "keepalived drain of the MASTER (planned: the VIPs move, nothing is wrong)",
    mode: null,
    inject: async (ctx) => {
      ctx.vars.node = need(ctx.world().vips[VRRP_INSTANCES[0].vip]?.[0], "the VIP holder");
      ctx.vars.peer = need(VRRP_NODES.find((n) => n.name !== ctx.vars.node)?.name, "the peer");
      lab.drain(ctx.vars.node, true);
    },
    phases: [
      {
        label: "VIPs on the peer",
        oracle: "ip -n <netns> addr",
        faulty: (w, c) => vipsOn(w, c.vars.peer!),
        expect: { overall: ["HEALTHY"] },
        also: (snap, c) => {
          const views = snap.units.filter((u) => u.kind === "vrrp").map((u) => (u.data as { masters?: string[] } | null)?.masters ?? []);
          return views.length > 0 && views.every((m) => m.length === 1 && m[0] === c.vars.peer) ? null : `VRRP masters shown: ${views.map((m) => m.join("+") || "-").join(", ")}`;
        },
      },
    ],
    undo: async (ctx) => {
      lab.drain(ctx.vars.node!, false);
    },
  },
  appScenario({ id: "engines-kill", title: "both trading engines SIGKILL", names: ["te1", "te2"], how: "kill", component: "trading-engine", overall: CRITICAL }),
  appScenario({ id: "engines-stop", title: "both trading engines SIGSTOP", names: ["te1", "te2"], how: "stop", component: "trading-engine", overall: CRITICAL }),
  {
    ...appScenario({ id: "engine-kill-one", title: "one trading engine SIGKILL (the peer serves)", names: ["te1"], how: "kill", component: "trading-engine", overall: DEGRADED }),
    phases: [{ label: "te1 gone", oracle: "/proc + show stat", faulty: (w) => w.procs.te1 === "gone", expect: { components: { "trading-engine": ["DEGRADED"] }, overall: DEGRADED } }],
  },
  appScenario({ id: "oms-kill", title: "order management SIGKILL", names: ["oms"], how: "kill", component: "order-management", overall: DEGRADED }),
  appScenario({ id: "oms-stop", title: "order management SIGSTOP", names: ["oms"], how: "stop", component: "order-management", overall: DEGRADED }),
  appScenario({ id: "risk-kill", title: "risk engine SIGKILL", names: ["risk"], how: "kill", component: "risk-engine", overall: DEGRADED }),
  appScenario({ id: "risk-stop", title: "risk engine SIGSTOP", names: ["risk"], how: "stop", component: "risk-engine", overall: DEGRADED }),
  ...[
    { ms: 1500, below: false },
    { ms: 300, below: true },
  ].map<Scenario>(({ ms, below }) => ({
    id: `latency-${below ? "below" : "above"}-deadline`,
    title: `risk engine's path ${ms} ms slow (${below ? "below" : "above"} the 800 ms probe deadline)`,
    mode: below ? null : "software-crash",
    needs: ["latency", "LATENCY_TARGETS"],
    probes: { riskPathMs: () => timedGet(latencyUrl()) },
    inject: async (ctx) => {
      verb<(target: string, ms: number | "off") => unknown>(ctx, "latency")("risk", ms);
    },
    phases: [
      {
        label: `the path answers after ≥ ${ms} ms`,
        oracle: "GET /health through the proxy, timed",
        faulty: (w) => typeof w.extra.riskPathMs === "number" ? w.extra.riskPathMs >= ms : !below,
        expect: below ? { components: { "risk-engine": ["UP"] }, overall: ["HEALTHY"] } : { components: { "risk-engine": ["DOWN"] }, overall: DEGRADED },
      },
    ],
    undo: async (ctx) => {
      verb<(target: string, ms: number | "off") => unknown>(ctx, "latency")("risk", "off");
    },
  })),
  {
    id: "feeder-stop",
    title: "market-data feeder stopped (STALE after 5 s)",
    mode: "software-crash",
    inject: () => fault("stop", "feeder").then(() => {}),
    phases: [
      {
        label: "market data older than 5 s",
        oracle: "GET last_market_update (admin user) + /proc",
        faulty: (w) => (w.marketAgeS ?? 0) > 5,
        expect: { components: { "market-data-gateway": ["STALE"] }, overall: DEGRADED },
      },
    ],
    minHoldMs: 10_000,
    undo: () => fault("resume", "feeder").then(() => {}),
  },
];


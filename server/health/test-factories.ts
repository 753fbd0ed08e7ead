/**
 * Small builders for the health model's unit tests: a lab-like config and one observation per
 * probe, healthy unless told otherwise. Test-only; nothing in the app imports this file.
 */
import { parseConfig } from "@/server/config/load";
import type { HealthConfig, HealthDataOf, HealthKind, Observation } from "./types";
import { unitKey } from "@/lib/keys";

export const T0 = 1_800_000_000_000;
export const CLUSTER = "labcluster";

/** The lab's shape: 3 Patroni nodes, Sentinel + 2 Redis, HAProxy, one VRRP pair, 2 engines, OMS, market data. */
export function labConfig(overrides: Record<string, unknown> = {}): HealthConfig {
  const raw = {
    version: 1,
    clusters: [
      {
        id: CLUSTER,
        component: "database",
        maxLagSeconds: 5,
        nodes: [1, 2, 3].map((i) => ({ name: `pg${i}`, rest: `http://127.0.0.1:801${i}`, dsn: `postgres://monitor@127.0.0.1:544${i}/postgres` })),
      },
    ],
    sentinels: [{ id: "labredis", component: "cache", masterName: "labredis", sentinels: ["127.0.0.1:26391", "127.0.0.1:26392", "127.0.0.1:26393"] }],
    redis: [
      { id: "redis1", component: "cache", url: "redis://127.0.0.1:6391" },
      { id: "redis2", component: "cache", url: "redis://127.0.0.1:6392" },
    ],
    haproxy: [{ id: "haproxy", component: "load-balancer", statsUrl: "http://127.0.0.1:7000/stats;csv" }],
    vrrp: [{ id: "vi-trading", component: "load-balancer", instance: "VI_TRADING", virtualRouterId: 51, vips: ["10.77.0.100"], nodes: [{ name: "ka1" }, { name: "ka2" }] }],
    http: [
      { id: "te1-health", component: "trading-engine", url: "http://127.0.0.1:8081/health" },
      { id: "te2-health", component: "trading-engine", url: "http://127.0.0.1:8082/health" },
      { id: "oms-health", component: "order-management", url: "http://127.0.0.1:8083/health" },
    ],
    tcp: [
      { id: "te1-tcp", component: "trading-engine", address: "127.0.0.1:5551" },
      { id: "te2-tcp", component: "trading-engine", address: "127.0.0.1:5552" },
    ],
    marketData: [{ id: "market-data", component: "market-data-gateway", redis: "labredis", maxAgeSeconds: 5 }],
    ...overrides,
  };
  // JSON is YAML: validated and resolved as the app loads its file.
  return parseConfig(JSON.stringify(raw), "lab-test.yaml");
}

const COMPONENT: Partial<Record<HealthKind, string>> = {
  patroni: "database",
  postgres: "database",
  sentinel: "cache",
  redis: "cache",
  marketdata: "market-data-gateway",
  haproxy: "load-balancer",
  vrrp: "load-balancer",
  http: "trading-engine",
  tcp: "trading-engine",
};

interface Opts {
  at?: number;
  node?: string;
  component?: string;
  latencyMs?: number;
}

/** A successful probe. */
export function ok<K extends HealthKind>(kind: K, targetId: string, data: HealthDataOf<K>, o: Opts = {}): Observation {
  return {
    unitKey: unitKey(kind, targetId, o.node),
    kind,
    targetId,
    ...(o.node ? { node: o.node } : {}),
    component: o.component ?? COMPONENT[kind] ?? kind,
    at: o.at ?? T0,
    result: { ok: true, latencyMs: o.latencyMs ?? 1, data },
  };
}

/** A failed probe, optionally with the data the collector still produced. */
export function failed<K extends HealthKind>(kind: K, targetId: string, error: string, o: Opts & { data?: HealthDataOf<K> } = {}): Observation {
  const base = ok(kind, targetId, undefined as unknown as HealthDataOf<K>, o);
  return { ...base, result: { ok: false, latencyMs: o.latencyMs ?? 1, error, ...(o.data !== undefined ? { data: o.data } : {}) } };
}

/** The same observation, later. */
export const at = (o: Observation, t: number): Observation => ({ ...o, at: t });

export function pgPrimary(node: string, o: Opts & { cluster?: string; standbys?: string[] } = {}): Observation {
  return ok(
    "postgres",
    o.cluster ?? CLUSTER,
    { inRecovery: false, standby: null, replication: (o.standbys ?? []).map((applicationName) => ({ applicationName, state: "streaming" })) },
    { ...o, node },
  );
}

export function pgStandby(
  node: string,
  o: Opts & { cluster?: string; lagSeconds?: number | null; paused?: boolean; receiver?: string | null } = {},
): Observation {
  const receiver = o.receiver === undefined ? "streaming" : o.receiver;
  return ok(
    "postgres",
    o.cluster ?? CLUSTER,
    {
      inRecovery: true,
      replication: [],
      standby: {
        replayLagSeconds: o.lagSeconds === undefined ? 0 : o.lagSeconds,
        replayPaused: o.paused ?? false,
        walReceiver: receiver === null ? null : { status: receiver, senderHost: "127.0.0.1", senderPort: 5441, slotName: node },
      },
    },
    { ...o, node },
  );
}

export function patroniData(leader: string | null, o: { paused?: boolean; nodes?: string[]; states?: Record<string, string>; unanswered?: { node: string; error: string }[] } = {}): HealthDataOf<"patroni"> {
  const nodes = o.nodes ?? ["pg1", "pg2", "pg3"];
  return {
    leader,
    paused: o.paused ?? false,
    unanswered: o.unanswered ?? [],
    members: nodes.map((name) => ({
      name,
      role: name === leader ? "leader" : "replica",
      state: o.states?.[name] ?? (name === leader ? "running" : "streaming"),
      host: "127.0.0.1",
      port: 5440 + Number(name.replace(/\D/g, "") || 0),
    })),
  };
}

export const patroni = (leader: string | null, o: Opts & Parameters<typeof patroniData>[1] = {}) => ok("patroni", CLUSTER, patroniData(leader, o), o);

export function sentinelData(masters: (string | null)[], o: { flags?: string[][]; down?: number[]; quorum?: number } = {}): HealthDataOf<"sentinel"> {
  const sentinels = masters.map((m, i) => {
    const dead = o.down?.includes(i) ?? false;
    return {
      address: `127.0.0.1:2639${i + 1}`,
      ok: !dead && m !== null,
      master: dead ? null : m,
      flags: o.flags?.[i] ?? ["master"],
      quorum: o.quorum ?? 2,
      error: dead ? "connection refused" : null,
    };
  });
  const named = [...new Set(sentinels.flatMap((s) => (s.master ? [s.master] : [])))];
  return { master: named.length === 1 ? named[0]! : null, agree: named.length <= 1, sentinels };
}

export const sentinel = (master = "127.0.0.1:6391", o: Opts & Parameters<typeof sentinelData>[1] = {}) =>
  ok("sentinel", "labredis", sentinelData([master, master, master], o), o);

export function redis(
  id: string,
  o: Opts & { role?: "master" | "slave"; used?: number; max?: number; link?: string | null; master?: string } = {},
): Observation {
  const role = o.role ?? "master";
  return ok(
    "redis",
    id,
    {
      role,
      connectedReplicas: role === "master" ? 1 : 0,
      masterLinkStatus: role === "master" ? null : o.link === undefined ? "up" : o.link,
      masterAddress: role === "master" ? null : (o.master ?? "127.0.0.1:6391"),
      usedMemory: o.used ?? 1_000_000,
      maxMemory: o.max ?? 0,
    },
    o,
  );
}

export const market = (ageSeconds: number | null, o: Opts = {}) => ok("marketdata", "market-data", { key: "last_market_update", ageSeconds }, o);

type Server = { name: string; status: string; address: string | null; backup: number | null };
export const server = (name: string, status: string, address: string | null = null): Server => ({ name, status, address, backup: 0 });

/** HAProxy in front of the lab: pg_rw routes to the leader, pg_ro to the replicas, trading to both engines. */
export function haproxyData(leader = "pg1", o: { rw?: Record<string, string>; trading?: Server[] } = {}): HealthDataOf<"haproxy"> {
  const pg = ["pg1", "pg2", "pg3"];
  const addr = (n: string) => `127.0.0.1:544${n.slice(2)}`;
  return {
    proxies: [
      { name: "stats", servers: [] },
      { name: "pg_rw", servers: pg.map((n) => server(n, o.rw?.[n] ?? (n === leader ? "UP" : "DOWN"), addr(n))) },
      { name: "pg_ro", servers: pg.map((n) => server(n, n === leader ? "DOWN" : "UP", addr(n))) },
      { name: "trading", servers: o.trading ?? [server("te1", "UP", "127.0.0.1:5551"), server("te2", "UP", "127.0.0.1:5552")] },
    ],
  };
}

export const haproxy = (leader = "pg1", o: Opts & Parameters<typeof haproxyData>[1] = {}) => ok("haproxy", "haproxy", haproxyData(leader, o), o);

type VrrpDataOpts = {
  errors?: Record<string, string>;
  /** What each node's state file last said (default: its state). */
  lastStates?: Record<string, string>;
  /** Nodes whose keepalived stopped reporting (stale heartbeat). */
  silent?: string[];
  vipAnswer?: HealthDataOf<"vrrp">["vipAnswer"];
};
type VrrpState = HealthDataOf<"vrrp">["nodes"][number]["state"];

export function vrrpData(states: Record<string, string>, o: VrrpDataOpts = {}): HealthDataOf<"vrrp"> {
  const nodes = Object.entries(states).map(([name, state]) => ({
    name,
    state: state as VrrpState,
    lastState: (o.lastStates?.[name] ?? (state === "UNKNOWN" ? null : state)) as VrrpState | null,
    silent: o.silent?.includes(name) ?? false,
    error: o.errors?.[name] ?? null,
  }));
  return { instance: "VI_TRADING", vips: ["10.77.0.100"], masters: nodes.filter((n) => n.state === "MASTER").map((n) => n.name), nodes, vipAnswer: o.vipAnswer ?? null };
}

export const vrrp = (states: Record<string, string> = { ka1: "MASTER", ka2: "BACKUP" }, o: Opts & VrrpDataOpts = {}) => ok("vrrp", "vi-trading", vrrpData(states, o), o);

export function http(id: string, statusCode = 200, o: Opts & { expect?: number } = {}): Observation {
  const component = o.component ?? (id.startsWith("oms") ? "order-management" : "trading-engine");
  if (statusCode === (o.expect ?? 200)) return ok("http", id, { statusCode }, { ...o, component });
  return failed("http", id, `HTTP ${statusCode}, expected ${o.expect ?? 200}`, { ...o, component, data: { statusCode } });
}

export const tcp = (id: string, o: Opts = {}) => ok("tcp", id, { received: "PONG" }, o);

/** Every unit of labConfig(), healthy: pg1 leads, redis1 is master, ka1 holds the VIP. */
export function healthy(t = T0): Observation[] {
  const o = { at: t };
  return [
    patroni("pg1", o),
    pgPrimary("pg1", { ...o, standbys: ["pg2", "pg3"] }),
    pgStandby("pg2", o),
    pgStandby("pg3", o),
    sentinel("127.0.0.1:6391", o),
    redis("redis1", o),
    redis("redis2", { ...o, role: "slave" }),
    haproxy("pg1", o),
    vrrp(undefined, o),
    http("te1-health", 200, o),
    http("te2-health", 200, o),
    http("oms-health", 200, o),
    tcp("te1-tcp", o),
    tcp("te2-tcp", o),
    market(0.4, o),
  ];
}

/** Replace the observations of the same units in a list. */
export function replace(list: Observation[], ...with_: Observation[]): Observation[] {
  const keys = new Set(with_.map((o) => o.unitKey));
  return [...list.filter((o) => !keys.has(o.unitKey)), ...with_];
}

import { execFile, spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { connect } from "node:net";
import path from "node:path";
import pg from "pg";
import { Redis } from "ioredis";
import {
  APPS, ETCD_MEMBERS, HAPROXY, HAPROXY_STATS_AUTH, HOST, NODE_HTTP_PORT, PG_AUTH, PG_NODES, REDIS_AUTH, REDIS_MASTER_NAME, REDIS_NODES,
  SENTINEL_AUTH, SENTINELS, basicAuth,
  VIP_RELAY_PORTS, VRRP_INSTANCES, VRRP_NODES, paths, type AppName,
} from "./topology";
import { curlFromBridge } from "./netns";
import { isAlive, readPid } from "./proc";

/** Read-only views of the lab, straight from each component's own interface. Used by `status`, readiness and tests. */

export interface PatroniMember {
  name: string;
  role: string;
  state: string;
  host: string;
  port: number;
  timeline?: number;
  lag?: number | string;
}

async function getJson<T>(url: string, timeoutMs = 1000): Promise<T | undefined> {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    return (await r.json()) as T;
  } catch {
    return undefined;
  }
}

export async function httpStatus(url: string, timeoutMs = 1500): Promise<number | undefined> {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await r.arrayBuffer();
    return r.status;
  } catch {
    return undefined;
  }
}

/** /cluster from the first node that answers. */
export async function patroniCluster(): Promise<{ members: PatroniMember[]; pause?: boolean } | undefined> {
  for (const n of PG_NODES) {
    const c = await getJson<{ members: PatroniMember[]; pause?: boolean }>(`http://${HOST}:${n.rest}/cluster`);
    if (c?.members) return c;
  }
  return undefined;
}

/** Patroni's /history (one row per timeline switch), from the first node that answers. */
export async function patroniHistory(): Promise<unknown[] | undefined> {
  for (const n of PG_NODES) {
    const h = await getJson<unknown[]>(`http://${HOST}:${n.rest}/history`);
    if (Array.isArray(h)) return h;
  }
  return undefined;
}

export async function patroniLeader(): Promise<PatroniMember | undefined> {
  return (await patroniCluster())?.members.find((m) => m.role === "leader");
}

export interface PatroniNodeStatus {
  state: string;
  role: string;
  timeline?: number;
  replication?: { application_name: string; state: string; sync_state: string }[];
}
export async function patroniNode(rest: number) {
  return getJson<PatroniNodeStatus>(`http://${HOST}:${rest}/patroni`);
}

export interface HealthyPatroni {
  members: PatroniMember[];
  leader: PatroniMember;
  sync: PatroniMember;
  replication: NonNullable<PatroniNodeStatus["replication"]>;
}

/** The lab's healthy Patroni cluster: a leader, a sync standby, and two replicas streaming from the leader. */
export async function healthyPatroni(): Promise<HealthyPatroni | undefined> {
  const c = await patroniCluster();
  const leader = c?.members.find((m) => m.role === "leader");
  const sync = c?.members.find((m) => m.role === "sync_standby");
  const rest = PG_NODES.find((n) => n.name === leader?.name)?.rest;
  if (!c || !leader || !sync || rest === undefined) return undefined;
  const replication = (await patroniNode(rest))?.replication ?? [];
  return replication.filter((r) => r.state === "streaming").length === 2 ? { members: c.members, leader, sync, replication } : undefined;
}

/** Runs `sql` through a given port with the lab's superuser password, connect and query each bounded by timeoutMs. */
export async function pgQuery<T extends pg.QueryResultRow>(port: number, sql: string, timeoutMs = 2000): Promise<T[]> {
  const client = new pg.Client({
    host: HOST,
    port,
    user: PG_AUTH.superuser.username,
    password: PG_AUTH.superuser.password,
    database: "postgres",
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
  });
  client.on("error", () => {});
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Which PostgreSQL answers on HAProxy's read-write frontend. */
export async function haproxyRwTarget(): Promise<{ port: number; inRecovery: boolean } | undefined> {
  try {
    const [row] = await pgQuery<{ port: number; rec: boolean }>(HAPROXY.rw, "select inet_server_port() as port, pg_is_in_recovery() as rec");
    return row ? { port: row.port, inRecovery: row.rec } : undefined;
  } catch {
    return undefined;
  }
}

/** The lab's administrator credentials for a Redis node or a Sentinel, by port. */
export function labRedisAdmin(port: number): { username: string; password: string } {
  return SENTINELS.some((s) => s.port === port) ? SENTINEL_AUTH.admin : REDIS_AUTH.admin;
}

function redisClient(port: number): Redis {
  const r = new Redis({ host: HOST, port, ...labRedisAdmin(port), lazyConnect: true, connectTimeout: 1000, commandTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  r.on("error", () => {});
  return r;
}

async function withRedis<T>(port: number, fn: (r: Redis) => Promise<T>): Promise<T | undefined> {
  const r = redisClient(port);
  try {
    await r.connect();
    return await fn(r);
  } catch {
    return undefined;
  } finally {
    r.disconnect();
  }
}

/** Each sentinel's answer to GET-MASTER-ADDR-BY-NAME, as host:port (undefined when it does not answer). */
export async function sentinelMasters(): Promise<Record<string, string | undefined>> {
  const out: Record<string, string | undefined> = {};
  await Promise.all(
    SENTINELS.map(async (s) => {
      const addr = await withRedis(s.port, (r) => r.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", REDIS_MASTER_NAME) as Promise<string[] | null>);
      out[s.name] = addr ? `${addr[0]}:${addr[1]}` : undefined;
    }),
  );
  return out;
}

export async function sentinelCkquorum(port: number): Promise<string | undefined> {
  return withRedis(port, (r) => r.call("SENTINEL", "CKQUORUM", REDIS_MASTER_NAME) as Promise<string>);
}

export async function redisReplication(port: number): Promise<Record<string, string> | undefined> {
  const info = await withRedis(port, (r) => r.info("replication"));
  if (!info) return undefined;
  return Object.fromEntries(
    info
      .split("\r\n")
      .filter((l) => l.includes(":"))
      .map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 1)]),
  );
}

export async function redisGet(port: number, key: string): Promise<string | null | undefined> {
  return withRedis(port, (r) => r.get(key));
}

export interface VrrpNodeState {
  node: string;
  instance: string;
  state: string;
  priority: number | null;
  at: number;
  keepalivedAlive: boolean;
  holdsVip: boolean;
}

export function vrrpStates(): VrrpNodeState[] {
  const out: VrrpNodeState[] = [];
  for (const vi of VRRP_INSTANCES) {
    for (const n of VRRP_NODES) {
      let s = { state: "UNKNOWN", priority: null as number | null, at: 0 };
      try {
        s = JSON.parse(readFileSync(paths.vrrpState(n.name, vi.name), "utf8"));
      } catch {
        // not written yet
      }
      out.push({
        node: n.name,
        instance: vi.name,
        state: s.state,
        priority: s.priority,
        at: s.at,
        keepalivedAlive: isAlive(readPid(n.name)),
        holdsVip: false,
      });
    }
  }
  return out;
}

export interface KeepalivedInstance {
  instance: string;
  state: "INIT" | "BACKUP" | "MASTER" | "FAULT" | "UNKNOWN";
  basePriority: number;
  effectivePriority: number;
}

/**
 * keepalived's own view of a node's instances, independent of the state files the dashboard reads:
 * its JSON dump (`kill -s $(keepalived --signum=JSON)` to the parent), written to the node's TMPDIR.
 */
export async function keepalivedInstances(node: string, timeoutMs = 3000): Promise<KeepalivedInstance[] | undefined> {
  const pid = readPid(node);
  if (!isAlive(pid)) return undefined;
  const file = path.join(paths.keepalived, node, "tmp", "keepalived.json");
  const before = existsSync(file) ? statSync(file).mtimeMs : 0;
  const signum = Number(spawnSync("keepalived", ["--signum=JSON"], { encoding: "utf8" }).stdout.trim());
  if (!Number.isInteger(signum) || signum <= 0) throw new Error("keepalived --signum=JSON gave no signal number");
  process.kill(pid!, signum);
  // The dump is written asynchronously by the VRRP child: wait for a new, complete file.
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    if (!existsSync(file) || statSync(file).mtimeMs === before) continue;
    try {
      const dump = JSON.parse(readFileSync(file, "utf8")) as { data: { iname: string; state: number; base_priority: number; effective_priority: number } }[];
      const states = ["INIT", "BACKUP", "MASTER", "FAULT"] as const;
      return dump.map(({ data: d }) => ({ instance: d.iname, state: states[d.state] ?? "UNKNOWN", basePriority: d.base_priority, effectivePriority: d.effective_priority }));
    } catch {
      // half written: try again
    }
  }
  return undefined;
}

/** Who answers on the VIP, asked from the observer namespace. */
export function vipHolder(vip: string): string | undefined {
  return curlFromBridge(`http://${vip}:${NODE_HTTP_PORT}/name`);
}

/** Who answers on an instance's VIP through the lab's VIP relay (what the dashboard's vipProbe sees). */
export async function vipViaRelay(instance: (typeof VRRP_INSTANCES)[number]["name"]): Promise<string | undefined> {
  try {
    const r = await fetch(`http://${HOST}:${VIP_RELAY_PORTS[instance]}/name`, { signal: AbortSignal.timeout(1500) });
    return r.ok ? (await r.text()).trim() : undefined;
  } catch {
    return undefined;
  }
}

export interface HaproxyRow {
  pxname: string;
  svname: string;
  status: string;
  check_status: string;
  lastchg: string;
  [k: string]: string;
}

export async function haproxyStats(): Promise<HaproxyRow[] | undefined> {
  try {
    const r = await fetch(`http://${HOST}:${HAPROXY.stats}/stats;csv`, { headers: { authorization: basicAuth(HAPROXY_STATS_AUTH) }, signal: AbortSignal.timeout(1000) });
    const text = await r.text();
    const [header, ...lines] = text.trim().split("\n");
    const cols = (header ?? "").replace(/^# /, "").split(",");
    return lines.map((l) => Object.fromEntries(l.split(",").map((v, i) => [cols[i] ?? String(i), v])) as HaproxyRow);
  } catch {
    return undefined;
  }
}

export async function appHealth(name: AppName): Promise<number | undefined> {
  const spec = APPS[name];
  return "http" in spec ? httpStatus(`http://${HOST}:${spec.http}/health`) : undefined;
}

/** Connect, send PING, expect PONG; resolves to the reply or undefined. */
export function tcpPing(port: number, timeoutMs = 1000): Promise<string | undefined> {
  return new Promise((resolve) => {
    const sock = connect({ host: HOST, port });
    let buf = "";
    const done = (v: string | undefined) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(v);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    sock.on("connect", () => sock.write("PING\r\n"));
    sock.on("data", (d) => {
      buf += d.toString();
      if (buf.includes("\n")) done(buf.trim());
    });
    sock.on("error", () => done(undefined));
  });
}

/** Whether anything accepts connections on the port. */
export function portOpen(port: number, host = HOST, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host, port });
    const timer = setTimeout(() => {
      sock.destroy();
      resolve(false);
    }, timeoutMs);
    sock.on("connect", () => {
      clearTimeout(timer);
      sock.destroy();
      resolve(true);
    });
    sock.on("error", () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
}

export const redisMasterPort = async (): Promise<number | undefined> => {
  const m = Object.values(await sentinelMasters()).find(Boolean);
  return m ? Number(m.split(":")[1]) : undefined;
};
export { REDIS_NODES };

/** One etcd member as etcdctl (the component's own client, not the dashboard's HTTP) reports it. */
export interface EtcdMemberHealth {
  name: string;
  endpoint: string;
  /** `etcdctl endpoint health`: a quorum read through this member succeeded. */
  healthy: boolean;
  error?: string;
  /** Hex member id (`--hex`), from `member list`. */
  id?: string;
  /** The leader this member names (by name), from `endpoint status`; null when it did not answer. */
  leader: string | null;
  raftTerm?: number;
  raftIndex?: number;
}

function etcdctl(args: string[], timeoutMs: number): Promise<string> {
  const endpoints = ETCD_MEMBERS.map((m) => `http://${HOST}:${m.client}`).join(",");
  return new Promise((resolve) => {
    execFile(
      "etcdctl",
      ["--endpoints", endpoints, "--dial-timeout", "500ms", "--command-timeout", `${timeoutMs}ms`, ...args],
      { env: { ...process.env, ETCDCTL_API: "3" }, timeout: timeoutMs + 2000 },
      // etcdctl exits 1 when any endpoint fails but still prints the others: read stdout regardless.
      (_err, stdout) => resolve(String(stdout)),
    );
  });
}

/**
 * The lab's etcd members through etcdctl: `endpoint health`, `endpoint status` and `member list`
 * (an oracle for tests and the chaos runner). undefined when etcdctl printed nothing usable.
 */
export async function etcdHealth(timeoutMs = 1000): Promise<EtcdMemberHealth[] | undefined> {
  const [health, status, members] = await Promise.all([
    etcdctl(["endpoint", "health", "-w", "json"], timeoutMs),
    etcdctl(["endpoint", "status", "-w", "simple", "--hex"], timeoutMs),
    etcdctl(["member", "list", "-w", "simple", "--hex"], timeoutMs),
  ]);
  let rows: { endpoint: string; health: boolean; error?: string }[];
  try {
    rows = JSON.parse(health) as typeof rows;
  } catch {
    return undefined;
  }
  // member list: id, status, name, peer URLs, client URLs, is learner.
  const ids = new Map<string, string>();
  for (const line of members.trim().split("\n")) {
    const [id, , name, , client] = line.split(", ");
    if (id && name && client) ids.set(client, `${id}=${name}`);
  }
  const nameById = new Map([...ids.values()].map((v) => v.split("=") as [string, string]));
  // endpoint status: endpoint, id, version, db size, is leader, is learner, raft term, raft index, applied index, errors.
  const statusOf = new Map<string, { id: string; term: number; index: number; isLeader: boolean }>();
  for (const line of status.trim().split("\n")) {
    const f = line.split(", ");
    if (f.length < 8 || !f[0] || !f[1]) continue;
    statusOf.set(f[0], { id: f[1], term: Number(f[6]), index: Number(f[7]), isLeader: f[4] === "true" });
  }
  const leaderId = [...statusOf.values()].find((s) => s.isLeader)?.id;
  return ETCD_MEMBERS.map((m) => {
    const endpoint = `http://${HOST}:${m.client}`;
    const h = rows.find((r) => r.endpoint === endpoint);
    const st = statusOf.get(endpoint);
    return {
      name: m.name,
      endpoint,
      healthy: h?.health ?? false,
      ...(h?.error ? { error: h.error } : !h ? { error: "not reported" } : {}),
      ...(ids.get(endpoint) ? { id: ids.get(endpoint)!.split("=")[0] } : {}),
      // A member follows the leader every answering member agrees on (etcdctl names it by id).
      leader: st && leaderId ? (nameById.get(leaderId) ?? leaderId) : null,
      ...(st ? { raftTerm: st.term, raftIndex: st.index } : {}),
    };
  });
}

/** etcd can commit: at least one member passes etcdctl's health check (a quorum read). */
export async function etcdQuorum(): Promise<boolean> {
  return (await etcdHealth())?.some((m) => m.healthy) ?? false;
}

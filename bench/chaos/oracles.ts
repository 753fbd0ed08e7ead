/**
 * The chaos runner's oracles: the real world read through each component's own interface, never through
 * the dashboard or the data it collects. Patroni's REST API on each node, psql through HAProxy's rw port
 * and on each node, `etcdctl endpoint health`, INFO replication/memory on each Redis, each Sentinel's
 * GET-MASTER-ADDR-BY-NAME, HAProxy's `show stat` on its admin socket, `ip -n <netns> addr` for the VIPs,
 * and the kernel's view of each lab process. Every read has a deadline; a read that fails is data.
 */
import { execFile } from "node:child_process";
import { connect } from "node:net";
import pg from "pg";
import { Redis } from "ioredis";
import { daemonPids, postmasterPid } from "../../e2e/lab/lab";
import { pgQuery } from "../../e2e/lab/inspect";
import { procState } from "../../e2e/lab/proc";
import { HAPROXY, HOST, NETNS, NODE_HTTP_PORT, etcdEndpoints, PG_NODES, REDIS_AUTH, REDIS_MASTER_NAME, REDIS_NODES, SENTINEL_AUTH, SENTINELS, VRRP_INSTANCES, VRRP_NODES, paths } from "../../e2e/lab/topology";

/** One read's deadline: under the runner's 250 ms tick × 4, so a hung component never piles reads up. */
export const ORACLE_DEADLINE_MS = 900;

export type ProcState = "running" | "frozen" | "gone";

export interface World {
  /** Each node's Patroni REST (`GET /patroni`): undefined when it did not answer in time. */
  patroni: Record<string, { role: string; state: string } | undefined>;
  /** `GET /cluster` from the first node that answers (what the DCS says). */
  members: { name: string; role: string; state: string }[] | undefined;
  /** Patroni's maintenance mode, from the same `/cluster`. */
  paused: boolean;
  /** psql on each node directly. */
  pg: Record<string, { inRecovery: boolean; replayPaused: boolean | null; replayAgeS: number | null; caughtUp: boolean | null } | undefined>;
  /** psql through HAProxy's read-write frontend. */
  rw: { port: number; inRecovery: boolean } | undefined;
  /** `etcdctl endpoint health` per endpoint. */
  etcd: { endpoint: string; healthy: boolean }[];
  redis: Record<string, { role: string; linkUp: boolean | null; used: number; max: number } | undefined>;
  /** Each Sentinel's answer (host:port), undefined when it does not answer. */
  sentinels: Record<string, string | undefined>;
  /** Age of `last_market_update` on the master Sentinel names, read with the admin user. */
  marketAgeS: number | undefined;
  /** HAProxy `show stat` rows (servers only), undefined when the socket does not answer. */
  haproxy: { px: string; sv: string; status: string }[] | undefined;
  /** For each VIP, the keepalived nodes whose eth0 carries it. */
  vips: Record<string, string[]>;
  /** For each VIP, the node that answers on it, asked with curl inside the bridge namespace (ARP decides, not ip addr). */
  vipAnswers: Record<string, string | undefined>;
  procs: Record<string, ProcState>;
  /** Extra reads a scenario asked for (e.g. the latency through a proxy). */
  extra: Record<string, unknown>;
}

const withDeadline = <T>(p: Promise<T>, ms = ORACLE_DEADLINE_MS): Promise<T | undefined> =>
  Promise.race([p.catch(() => undefined), new Promise<undefined>((r) => setTimeout(() => r(undefined), ms))]);

async function getJson<T>(url: string): Promise<T | undefined> {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(ORACLE_DEADLINE_MS) });
    return (await r.json()) as T;
  } catch {
    return undefined;
  }
}

const psql = <T extends pg.QueryResultRow>(port: number, sql: string): Promise<T | undefined> =>
  withDeadline(pgQuery<T>(port, sql, ORACLE_DEADLINE_MS).then((rows) => rows[0]));

// The replay functions raise on a primary; CASE evaluates them only on a standby.
const PG_NODE_SQL = `select pg_is_in_recovery() as rec,
  case when pg_is_in_recovery() then pg_is_wal_replay_paused() end as paused,
  case when pg_is_in_recovery() then extract(epoch from now() - pg_last_xact_replay_timestamp())::float8 end as age,
  case when pg_is_in_recovery() then pg_last_wal_receive_lsn() is not distinct from pg_last_wal_replay_lsn() end as caught_up`;

async function redisRead(port: number, admin: { username: string; password: string }, fn: (r: Redis) => Promise<string | string[] | null>): Promise<string | string[] | null | undefined> {
  const r = new Redis({ host: HOST, port, ...admin, lazyConnect: true, connectTimeout: ORACLE_DEADLINE_MS, commandTimeout: ORACLE_DEADLINE_MS, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  r.on("error", () => {});
  const run = async () => {
    try {
      await r.connect();
      return await fn(r);
    } finally {
      r.disconnect();
    }
  };
  return withDeadline(run());
}

const infoField = (info: string, key: string) => new RegExp(`^${key}:(.*)$`, "m").exec(info)?.[1]?.trim();

async function redisNode(port: number): Promise<World["redis"][string]> {
  const info = await redisRead(port, REDIS_AUTH.admin, async (r) => `${await r.info("replication")}\n${await r.info("memory")}`);
  if (typeof info !== "string") return undefined;
  const role = infoField(info, "role") ?? "unknown";
  const link = infoField(info, "master_link_status");
  return { role, linkUp: role === "master" ? null : link === "up", used: Number(infoField(info, "used_memory") ?? 0), max: Number(infoField(info, "maxmemory") ?? 0) };
}

/** HAProxy's `show stat` on the admin socket (a unix socket; no socat needed). */
export function haproxyShowStat(socketPath = paths.haproxySocket): Promise<World["haproxy"]> {
  return new Promise((resolve) => {
    let buf = "";
    const sock = connect({ path: socketPath });
    const done = (v: World["haproxy"]) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(v);
    };
    const timer = setTimeout(() => done(undefined), ORACLE_DEADLINE_MS);
    sock.on("connect", () => sock.write("show stat\n"));
    sock.on("data", (d) => (buf += d.toString()));
    sock.on("end", () => done(parseShowStat(buf)));
    sock.on("error", () => done(undefined));
  });
}

export function parseShowStat(csv: string): NonNullable<World["haproxy"]> | undefined {
  const [header, ...lines] = csv.trim().split("\n");
  if (!header?.startsWith("# ")) return undefined;
  const cols = header.slice(2).split(",");
  const at = (name: string) => cols.indexOf(name);
  const [px, sv, st] = [at("pxname"), at("svname"), at("status")];
  return lines
    .map((l) => l.split(","))
    .filter((c) => c[sv] !== "FRONTEND" && c[sv] !== "BACKEND" && c[px] !== "stats")
    .map((c) => ({ px: c[px] ?? "", sv: c[sv] ?? "", status: c[st] ?? "" }));
}

function execText(cmd: string, args: string[], timeoutMs = ORACLE_DEADLINE_MS + 600): Promise<string> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs, encoding: "utf8" }, (_err, stdout) => resolve(stdout ?? ""));
  });
}

async function etcdHealth(): Promise<World["etcd"]> {
  const eps = etcdEndpoints();
  const out = await execText("etcdctl", [`--endpoints=${eps.join(",")}`, "endpoint", "health", "-w", "json", `--command-timeout=${ORACLE_DEADLINE_MS}ms`, "--dial-timeout=500ms"]);
  let parsed: { endpoint: string; health: boolean }[] = [];
  try {
    parsed = JSON.parse(out) as { endpoint: string; health: boolean }[];
  } catch {
    // nothing parsable: every endpoint counts as unhealthy below
  }
  return eps.map((e) => ({ endpoint: e, healthy: parsed.some((p) => p.endpoint === e && p.health) }));
}

async function vipAnswers(): Promise<World["vipAnswers"]> {
  const answers = await Promise.all(
    VRRP_INSTANCES.map(async (vi) => [vi.vip, (await execText("ip", ["netns", "exec", NETNS.bridge, "curl", "-s", "--max-time", "0.8", `http://${vi.vip}:${NODE_HTTP_PORT}/name`])).trim() || undefined] as const),
  );
  return Object.fromEntries(answers);
}

async function vipHolders(): Promise<World["vips"]> {
  const addrs = await Promise.all(VRRP_NODES.map(async (n) => [n.name, await execText("ip", ["-n", n.netns, "-o", "addr", "show", "dev", "eth0"])] as const));
  return Object.fromEntries(VRRP_INSTANCES.map((vi) => [vi.vip, addrs.filter(([, text]) => text.includes(` ${vi.vip}/`)).map(([name]) => name)]));
}

const stateOf = (pid: number | undefined): ProcState => {
  const st = pid ? procState(pid) : undefined;
  return !st ? "gone" : st === "T" || st === "t" ? "frozen" : "running";
};

/** Every lab daemon as the kernel sees it, and each node's postmaster beside its Patroni. */
function procStates(): World["procs"] {
  const out = Object.fromEntries(Object.entries(daemonPids()).map(([name, pid]) => [name, stateOf(pid)]));
  for (const n of PG_NODES) out[`${n.name}-postgres`] = stateOf(postmasterPid(n.name));
  return out;
}

export async function readWorld(extra: Record<string, () => Promise<unknown>> = {}): Promise<World> {
  const [patroni, members, pgNodes, rw, etcd, redis, sentinels, haproxy, vips, answers, extras] = await Promise.all([
    Promise.all(PG_NODES.map(async (n) => [n.name, await getJson<{ role: string; state: string }>(`http://${HOST}:${n.rest}/patroni`)] as const)),
    (async () => {
      for (const n of PG_NODES) {
        const c = await getJson<{ members: { name: string; role: string; state: string }[]; pause?: boolean }>(`http://${HOST}:${n.rest}/cluster`);
        if (c?.members) return { members: c.members.map((m) => ({ name: m.name, role: m.role, state: m.state })), paused: !!c.pause };
      }
      return undefined;
    })(),
    Promise.all(PG_NODES.map(async (n) => [n.name, await psql<{ rec: boolean; paused: boolean | null; age: number | null; caught_up: boolean | null }>(n.pg, PG_NODE_SQL)] as const)),
    psql<{ port: number; rec: boolean }>(HAPROXY.rw, "select inet_server_port() as port, pg_is_in_recovery() as rec"),
    etcdHealth(),
    Promise.all(REDIS_NODES.map(async (n) => [n.name, await redisNode(n.port)] as const)),
    Promise.all(SENTINELS.map(async (s) => [s.name, await redisRead(s.port, SENTINEL_AUTH.admin, (r) => r.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", REDIS_MASTER_NAME) as Promise<string[] | null>)] as const)),
    haproxyShowStat(),
    vipHolders(),
    vipAnswers(),
    Promise.all(Object.entries(extra).map(async ([k, f]) => [k, await withDeadline(f(), 3000)] as const)),
  ]);
  const sentinelView = Object.fromEntries(sentinels.map(([name, a]) => [name, Array.isArray(a) ? `${a[0]}:${a[1]}` : undefined]));
  const masterPort = majority(Object.values(sentinelView))?.split(":")[1];
  const age = masterPort ? await redisRead(Number(masterPort), REDIS_AUTH.admin, (r) => r.get("last_market_update")) : undefined;
  return {
    patroni: Object.fromEntries(patroni.map(([n, p]) => [n, p ? { role: p.role, state: p.state } : undefined])),
    members: members?.members,
    paused: members?.paused ?? false,
    pg: Object.fromEntries(pgNodes.map(([n, r]) => [n, r ? { inRecovery: r.rec, replayPaused: r.paused, replayAgeS: r.age, caughtUp: r.caught_up } : undefined])),
    rw: rw ? { port: rw.port, inRecovery: rw.rec } : undefined,
    etcd,
    redis: Object.fromEntries(redis),
    sentinels: sentinelView,
    marketAgeS: typeof age === "string" ? Math.max(0, Date.now() / 1000 - Number(age)) : undefined,
    haproxy,
    vips,
    vipAnswers: answers,
    procs: procStates(),
    extra: Object.fromEntries(extras),
  };
}

/** The answer most voters give (undefined answers do not vote); undefined when nobody answers. */
export function majority(answers: (string | undefined)[]): string | undefined {
  const counts = new Map<string, number>();
  for (const a of answers) if (a) counts.set(a, (counts.get(a) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

export const REDIS_PORT: Record<string, number> = Object.fromEntries(REDIS_NODES.map((n) => [n.name, n.port]));

/** The lab in its steady state, by the components' own word: what the runner waits for before and after a fault. */
export function worldHealthy(w: World): string[] {
  const bad: string[] = [];
  const leader = w.members?.filter((m) => m.role === "leader") ?? [];
  if (leader.length !== 1) bad.push(`Patroni leaders: ${leader.length}`);
  if (!w.members?.some((m) => m.role === "sync_standby")) bad.push("no sync standby");
  if (w.paused) bad.push("Patroni paused");
  for (const n of PG_NODES) {
    const m = w.members?.find((x) => x.name === n.name);
    if (!m || !["running", "streaming"].includes(m.state)) bad.push(`${n.name} ${m?.state ?? "not a member"}`);
    if (!w.patroni[n.name]) bad.push(`${n.name} REST silent`);
    const p = w.pg[n.name];
    if (!p) bad.push(`${n.name} psql fails`);
    else if (p.inRecovery && p.replayPaused) bad.push(`${n.name} replay paused`);
  }
  const primaries = PG_NODES.filter((n) => w.pg[n.name]?.inRecovery === false);
  if (primaries.length !== 1) bad.push(`${primaries.length} PostgreSQL primaries`);
  if (!w.rw || w.rw.inRecovery) bad.push(w.rw ? "rw port reaches a standby" : "rw port: no answer");
  if (w.etcd.some((e) => !e.healthy)) bad.push(`etcd unhealthy: ${w.etcd.filter((e) => !e.healthy).map((e) => e.endpoint).join(", ")}`);
  const masters = REDIS_NODES.filter((n) => w.redis[n.name]?.role === "master");
  if (masters.length !== 1) bad.push(`${masters.length} Redis masters`);
  for (const n of REDIS_NODES) {
    const r = w.redis[n.name];
    if (!r) bad.push(`${n.name} silent`);
    else if (r.role !== "master" && !r.linkUp) bad.push(`${n.name} link down`);
    else if (r.max > 0 && r.used / r.max > 0.9) bad.push(`${n.name} memory ${Math.round((100 * r.used) / r.max)}%`);
  }
  const views = Object.values(w.sentinels);
  if (views.some((v) => !v) || new Set(views).size !== 1) bad.push(`sentinels: ${views.map((v) => v ?? "-").join(" ")}`);
  else if (masters[0] && views[0] !== `${HOST}:${REDIS_PORT[masters[0].name]}`) bad.push("sentinels name a node that is not the master");
  if (w.marketAgeS === undefined || w.marketAgeS > 5) bad.push(`market data age ${w.marketAgeS?.toFixed(1) ?? "?"} s`);
  if (!w.haproxy) bad.push("HAProxy socket silent");
  else {
    const down = w.haproxy.filter((r) => r.px === "trading" && !r.status.startsWith("UP"));
    if (down.length) bad.push(`trading servers not UP: ${down.map((r) => r.sv).join(", ")}`);
    const rwUp = w.haproxy.filter((r) => r.px === "pg_rw" && r.status.startsWith("UP"));
    if (rwUp.length !== 1) bad.push(`pg_rw servers UP: ${rwUp.length}`);
  }
  for (const [vip, holders] of Object.entries(w.vips)) {
    if (holders.length !== 1) bad.push(`VIP ${vip} on ${holders.length} nodes`);
    // After a partition heals, the observer's ARP entry can still point at the node that gave the VIP up.
    else if (w.vipAnswers[vip] !== holders[0]) bad.push(`VIP ${vip} held by ${holders[0]} but answered by ${w.vipAnswers[vip] ?? "nobody"}`);
  }
  const notRunning = Object.entries(w.procs).filter(([, s]) => s !== "running");
  if (notRunning.length) bad.push(`processes: ${notRunning.map(([n, s]) => `${n} ${s}`).join(", ")}`);
  return bad;
}

/** One line of the facts that matter, for the JSON log. */
export function worldSummary(w: World): string {
  const leader = w.members?.find((m) => m.role === "leader")?.name ?? "none";
  const prim = PG_NODES.filter((n) => w.pg[n.name]?.inRecovery === false).map((n) => n.name);
  const redisM = REDIS_NODES.filter((n) => w.redis[n.name]?.role === "master").map((n) => n.name);
  const vips = Object.entries(w.vips).map(([v, h]) => `${v.split(".").pop()}:${h.join("+") || "-"}`);
  const procs = Object.entries(w.procs).filter(([, s]) => s !== "running").map(([n, s]) => `${n}:${s}`);
  return [
    `leader ${leader}`,
    `primaries ${prim.join("+") || "-"}`,
    `rw ${w.rw ? `${w.rw.port}${w.rw.inRecovery ? "(rec)" : ""}` : "-"}`,
    `etcd ${w.etcd.filter((e) => e.healthy).length}/${w.etcd.length}`,
    `redis masters ${redisM.join("+") || "-"}`,
    `sentinels ${Object.values(w.sentinels).map((v) => v?.split(":")[1] ?? "-").join(",")}`,
    `md ${w.marketAgeS?.toFixed(1) ?? "-"}s`,
    `haproxy ${w.haproxy ? "ok" : "-"}`,
    `vips ${vips.join(" ")}`,
    procs.length ? `down ${procs.join(",")}` : "",
  ]
    .filter(Boolean)
    .join("; ");
}

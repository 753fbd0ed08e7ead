/**
 * Faults beyond kill/stop/start, each with its undo, each safe to repeat, none outliving `lab down`
 * (Patroni's pause lives in etcd's data dir, Redis settings in the running process, saved values and the
 * latency in .lab/run: `down` removes them all).
 *   replayPause(on, node?)   Patroni paused, WAL replay paused on a standby, writes on the primary: replay lag grows
 *   maxmemory(on, node?)     Redis maxmemory just above used_memory on the master: used/max > 0.9
 *   redisTwoMasters(on)      the Redis master killed, Sentinel fails over, the old one restarted as a master
 *   latency(target, ms)      a slow path: the latency proxy in front of the risk engine holds each request ms
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Redis } from "ioredis";
import { daemonPid, findDaemon } from "./daemons";
import { fault } from "./faults";
import { labRedisAdmin, patroniCluster, pgQuery, redisGet, redisMasterPort, redisReplication, sentinelMasters } from "./inspect";
import { ensureDir, startDaemon, waitFor } from "./proc";
import { HAPROXY, HOST, LATENCY_PROXY, PATRONI_REST_AUTH, PG_NODES, REDIS_NODES, basicAuth, paths } from "./topology";

/** A table of its own on the primary, so the lab's writes never touch anything a test reads. */
const WRITE_SQL = "create table if not exists lab_chaos_writes (at timestamptz not null default now()); insert into lab_chaos_writes default values";

async function setPatroniPause(pause: boolean): Promise<void> {
  const errors: string[] = [];
  for (const n of PG_NODES) {
    try {
      const r = await fetch(`http://${HOST}:${n.rest}/config`, {
        method: "PATCH",
        headers: { authorization: basicAuth(PATRONI_REST_AUTH), "content-type": "application/json" },
        body: JSON.stringify({ pause }),
        signal: AbortSignal.timeout(3000),
      });
      if (r.ok) {
        await r.arrayBuffer();
        // Each member acts on the pause in its next loop; replay must stay paused only once they all have.
        await waitFor(`Patroni ${pause ? "paused" : "resumed"}`, async () => ((await patroniCluster())?.pause ?? false) === pause, 15_000, 250);
        return;
      }
      errors.push(`${n.name}: HTTP ${r.status} ${await r.text()}`);
    } catch (e) {
      errors.push(`${n.name}: ${(e as Error).message}`);
    }
  }
  throw new Error(`no Patroni node accepted PATCH /config: ${errors.join("; ")}`);
}

const pgPort = (node: string) => {
  const n = PG_NODES.find((x) => x.name === node);
  if (!n) throw new Error(`unknown PostgreSQL node "${node}": ${PG_NODES.map((x) => x.name).join(", ")}`);
  return n.pg;
};

/**
 * on: pause Patroni (it would otherwise resume the replay itself), write once on the primary through
 * HAProxy's rw port so the standby's last replayed commit is fresh, pause replay on the standby (default the
 * sync standby), then write again: received WAL is no longer replayed and the replay lag grows by a second
 * a second. off: resume replay on every paused standby, then resume Patroni.
 */
export async function replayPause(on: boolean, node?: string): Promise<string> {
  if (!on) {
    const resumed: string[] = [];
    for (const n of PG_NODES.filter((x) => !node || x.name === node)) {
      const [row] = await pgQuery<{ paused: boolean }>(n.pg, "select pg_is_in_recovery() and pg_is_wal_replay_paused() as paused").catch(() => []);
      if (!row?.paused) continue;
      await pgQuery(n.pg, "select pg_wal_replay_resume()");
      resumed.push(n.name);
    }
    if ((await patroniCluster())?.pause) await setPatroniPause(false);
    return `replay resumed${resumed.length ? ` on ${resumed.join(", ")}` : " (none was paused)"}; Patroni resumed`;
  }
  const cluster = await patroniCluster();
  const target = node ?? cluster?.members.find((m) => m.role === "sync_standby")?.name;
  if (!target) throw new Error("no sync standby to pause (is the lab up?); name a standby: replay-pause on pg2");
  const port = pgPort(target);
  if (!cluster?.pause) await setPatroniPause(true);
  await pgQuery(HAPROXY.rw, WRITE_SQL);
  await pgQuery(port, "select pg_wal_replay_pause()");
  await waitFor(`replay paused on ${target}`, async () => (await pgQuery<{ s: string }>(port, "select pg_get_wal_replay_pause_state() as s"))[0]?.s === "paused", 10_000, 100);
  await pgQuery(HAPROXY.rw, WRITE_SQL);
  return `replay paused on ${target} (Patroni paused); the primary took a write, so its replay lag now grows`;
}

const savedMaxmemory = (node: string) => path.join(paths.run, `maxmemory-${node}`);

function redisNode(name: string | undefined, fallbackPort: number | undefined) {
  const n = name ? REDIS_NODES.find((x) => x.name === name) : REDIS_NODES.find((x) => x.port === fallbackPort);
  if (!n) throw new Error(name ? `unknown Redis node "${name}": ${REDIS_NODES.map((x) => x.name).join(", ")}` : "no Redis master (is the lab up?)");
  return n;
}

async function withAdmin<T>(port: number, fn: (r: Redis) => Promise<T>): Promise<T> {
  const r = new Redis({ host: HOST, port, ...labRedisAdmin(port), lazyConnect: true, connectTimeout: 2000, commandTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on("error", () => {});
  try {
    await r.connect();
    return await fn(r);
  } finally {
    r.disconnect();
  }
}

/** used_memory and maxmemory from INFO memory, with the administrator's credentials. */
export async function redisMemory(port: number): Promise<{ used: number; max: number }> {
  const info = await withAdmin(port, (r) => r.info("memory"));
  const field = (k: string) => Number(new RegExp(`^${k}:(\\d+)`, "m").exec(info)?.[1] ?? NaN);
  return { used: field("used_memory"), max: field("maxmemory") };
}

/** 95 %: above the seed's 90 %, with room for the few KB used_memory moves between polls before eviction starts. */
const MAXMEMORY_FILL = 0.95;

/**
 * on: remember the node's configured maxmemory (once, in .lab/run) and set it so used_memory is 95 % of it.
 * off: restore the remembered value on the node (every node that has one when none is named).
 */
export async function maxmemory(on: boolean, node?: string): Promise<string> {
  if (!on) {
    const names = node ? [redisNode(node, undefined).name] : REDIS_NODES.map((n) => n.name);
    const restored: string[] = [];
    for (const name of names) {
      let saved: string;
      try {
        saved = readFileSync(savedMaxmemory(name), "utf8").trim();
      } catch {
        continue;
      }
      await withAdmin(redisNode(name, undefined).port, (r) => r.config("SET", "maxmemory", saved));
      rmSync(savedMaxmemory(name), { force: true });
      restored.push(`${name} (${saved})`);
    }
    return restored.length ? `maxmemory restored on ${restored.join(", ")}` : "maxmemory was not changed on any node";
  }
  const n = redisNode(node, await redisMasterPort());
  ensureDir(paths.run);
  let saved: string | undefined;
  try {
    saved = readFileSync(savedMaxmemory(n.name), "utf8").trim();
  } catch {
    saved = undefined;
  }
  if (!saved) {
    const [, value] = (await withAdmin(n.port, (r) => r.config("GET", "maxmemory"))) as [string, string];
    writeFileSync(savedMaxmemory(n.name), `${value}\n`);
  }
  const { used } = await redisMemory(n.port);
  const max = Math.ceil(used / MAXMEMORY_FILL);
  await withAdmin(n.port, (r) => r.config("SET", "maxmemory", String(max)));
  return `maxmemory on ${n.name} set to ${max} bytes, used_memory ${used} (${Math.round((used / max) * 100)} %)`;
}

/** Each Redis node's role from INFO replication (admin credentials), undefined when it does not answer. */
export async function redisRoles(): Promise<Record<string, string | undefined>> {
  const out: Record<string, string | undefined> = {};
  await Promise.all(REDIS_NODES.map(async (n) => (out[n.name] = (await redisReplication(n.port))?.role)));
  return out;
}

/**
 * on: SIGKILL the Redis master, wait until every Sentinel names the replica, then start the old master
 * with `replicaof no one` appended to its config (it wins over any replicaof line Sentinel rewrote into the
 * file): two instances report role:master until Sentinel converts the old one, which takes it seconds.
 * off: make every master Sentinel does not name a replica of Sentinel's master now.
 */
export async function redisTwoMasters(on: boolean): Promise<string> {
  if (!on) {
    const port = await redisMasterPort();
    if (!port) throw new Error("the Sentinels name no master");
    const roles = await redisRoles();
    const fixed = REDIS_NODES.filter((n) => n.port !== port && roles[n.name] === "master");
    for (const n of fixed) await withAdmin(n.port, (r) => r.call("REPLICAOF", HOST, String(port)));
    return fixed.length ? `${fixed.map((n) => n.name).join(", ")} now a replica of ${HOST}:${port}` : "only one Redis master";
  }
  const roles = await redisRoles();
  const masters = REDIS_NODES.filter((n) => roles[n.name] === "master");
  if (masters.length > 1) return `already two masters: ${masters.map((n) => n.name).join(", ")}`;
  const oldPort = await redisMasterPort();
  const old = REDIS_NODES.find((n) => n.port === oldPort);
  const other = REDIS_NODES.find((n) => n.port !== oldPort);
  if (!old || !other) throw new Error("the Sentinels name no master (is the lab up?)");
  await fault("kill", old.name);
  await waitFor(
    `every Sentinel to name ${other.name} after the failover`,
    async () => {
      const named = Object.values(await sentinelMasters());
      return named.length > 0 && named.every((m) => m === `${HOST}:${other.port}`) && (await redisReplication(other.port))?.role === "master";
    },
    30_000,
    200,
  );
  // Clients that asked a Sentinel just before the switch may still be retrying the old address: restart the
  // old master only once the market-data feeder writes to the new one, or they could land on the old one.
  const switched = Date.now();
  await waitFor(`the feeder writing to ${other.name}`, async () => Number((await redisGet(other.port, "last_market_update_ms")) ?? 0) > switched, 10_000, 100).catch(() => undefined);
  if (!daemonPid(findDaemon(old.name))) {
    startDaemon({ name: old.name, cmd: "redis-server", args: [path.join(paths.redis, `${old.name}.conf`), "--replicaof", "no", "one"] });
  }
  await waitFor(`${old.name} back as a master`, async () => (await redisReplication(old.port))?.role === "master", 10_000, 100);
  return `two Redis masters: ${old.name} (killed, restarted as a master) and ${other.name} (promoted by Sentinel)`;
}

/** The targets a slow path can be put in front of, and the proxy that serves each. */
export const LATENCY_TARGETS = { risk: LATENCY_PROXY } as const;

/** Every request through the target's proxy reaches the target `ms` later; off (or 0) removes the delay. */
export function latency(target: string, ms: number | "off"): string {
  const proxy = LATENCY_TARGETS[target as keyof typeof LATENCY_TARGETS];
  if (!proxy) throw new Error(`latency takes one of: ${Object.keys(LATENCY_TARGETS).join(", ")}`);
  if (ms !== "off" && (!Number.isInteger(ms) || ms < 0)) throw new Error(`latency takes a whole number of milliseconds or off, not ${ms}`);
  if (!daemonPid(findDaemon("latency-proxy"))) throw new Error("the latency proxy is not running (lab up starts it)");
  ensureDir(paths.run);
  writeFileSync(proxy.controlFile, `${ms === "off" ? 0 : ms}\n`);
  return ms === "off" || ms === 0 ? `no latency in front of ${target}` : `${ms} ms added to every request to ${target} (through ${HOST}:${proxy.port})`;
}

import { Redis } from "ioredis";
import { labRedisAdmin, redisReplication, sentinelMasters } from "@/e2e/lab/inspect";
import { HOST, REDIS_MASTER_NAME, REDIS_NODES, SENTINELS } from "@/e2e/lab/topology";

/** Lab-test helper: is the lab's Redis/Sentinel part healthy again after a fault? */

/** One command on a short-lived connection (e.g. SENTINEL FAILOVER); resolves to the reply or throws. */
export async function sentinelCommand(port: number, ...args: string[]): Promise<unknown> {
  const r = new Redis({ host: HOST, port, ...labRedisAdmin(port), lazyConnect: true, protocol: 2, connectTimeout: 1000, commandTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  r.on("error", () => {});
  try {
    await r.connect();
    return await r.call(args[0]!, ...args.slice(1));
  } finally {
    r.disconnect();
  }
}

const ask = <T>(port: number, ...args: string[]) => sentinelCommand(port, ...args).then((v) => v as T, () => undefined);

/** What is still wrong with the lab's Redis part; empty when healthy. */
export async function redisLabProblems(): Promise<string[]> {
  const masters = await sentinelMasters();
  const named = Object.values(masters);
  if (named.length !== SENTINELS.length || named.some((m) => !m) || new Set(named).size !== 1) return [`sentinels name ${JSON.stringify(masters)}`];
  const masterPort = Number(named[0]!.split(":")[1]);
  const problems: string[] = [];
  const m = await redisReplication(masterPort);
  if (m?.role !== "master") problems.push(`${masterPort} reports role ${m?.role}`);
  for (const n of REDIS_NODES.filter((x) => x.port !== masterPort)) {
    const r = await redisReplication(n.port);
    if (r?.role !== "slave" || r.master_port !== String(masterPort) || r.master_link_status !== "up") {
      problems.push(`${n.name}: role ${r?.role}, master ${r?.master_port}, link ${r?.master_link_status}`);
    }
  }
  for (const s of SENTINELS) {
    const q = await ask<string>(s.port, "SENTINEL", "CKQUORUM", REDIS_MASTER_NAME);
    if (!q?.startsWith(`OK ${SENTINELS.length}`)) problems.push(`${s.name} CKQUORUM: ${q}`);
    const replicas = await ask<string[][]>(s.port, "SENTINEL", "REPLICAS", REDIS_MASTER_NAME);
    const flags = (replicas ?? []).map((r) => r[r.indexOf("flags") + 1]);
    if (flags.length !== REDIS_NODES.length - 1 || flags.some((f) => f !== "slave")) problems.push(`${s.name} sees replicas ${JSON.stringify(flags)}`);
  }
  return problems;
}

/** Waits until the Redis part is healthy; returns how long that took (ms). */
export async function waitRedisLabHealthy(timeoutMs = 60_000): Promise<number> {
  const start = Date.now();
  let problems: string[] = [];
  while (Date.now() - start < timeoutMs) {
    problems = await redisLabProblems();
    if (problems.length === 0) return Date.now() - start;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`lab Redis not healthy after ${timeoutMs} ms: ${problems.join("; ")}`);
}

/** The current master's and replica's ports as the sentinels name them. */
export async function labRedisRoles(): Promise<{ masterPort: number; replicaPort: number; replicaName: string }> {
  const named = Object.values(await sentinelMasters()).find(Boolean);
  if (!named) throw new Error("no sentinel names a master (is the lab up?)");
  const masterPort = Number(named.split(":")[1]);
  const replica = REDIS_NODES.find((n) => n.port !== masterPort)!;
  return { masterPort, replicaPort: replica.port, replicaName: replica.name };
}

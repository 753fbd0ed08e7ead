/**
 * Stand-ins for the trading system's application services, one process each:
 *   node --import tsx e2e/lab/services/app.ts <te1|te2|oms|risk|feeder>
 * The trading engine's /health checks its dependencies (database, Redis, market data no older than
 * 5 s) and its TCP port answers PING with PONG, which HAProxy's tcp-check for the trading backend expects.
 */
import { createServer as createHttpServer } from "node:http";
import { createServer as createTcpServer } from "node:net";
import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { Redis } from "ioredis";
import { APPS, HAPROXY, HOST, PG_AUTH, REDIS_AUTH, REDIS_MASTER_NAME, SENTINEL_AUTH, SENTINELS, paths, type AppName } from "../topology";

const name = process.argv[2] as AppName;
const spec = APPS[name];
if (!spec) {
  console.error(`usage: app.ts <${Object.keys(APPS).join("|")}>`);
  process.exit(2);
}

const MARKET_DATA_MAX_AGE_S = 5;
const CHECK_TIMEOUT_MS = 1000;

// Follows the Sentinel master; failoverDetector reconnects on +switch-master instead of waiting for an error.
const newRedis = () => new Redis({
  sentinels: SENTINELS.map((s) => ({ host: HOST, port: s.port })),
  name: REDIS_MASTER_NAME,
  sentinelPassword: SENTINEL_AUTH.admin.password,
  password: REDIS_AUTH.admin.password,
  failoverDetector: true,
  connectTimeout: CHECK_TIMEOUT_MS,
  commandTimeout: CHECK_TIMEOUT_MS,
  maxRetriesPerRequest: 1,
  enableOfflineQueue: true,
  retryStrategy: () => 200,
  sentinelRetryStrategy: () => 200,
  // A master Sentinel turned into a replica without a failover (a restarted old master, converted) sends no
  // +switch-master: reconnect through Sentinel on READONLY and resend, or the feeder writes nowhere for ever.
  reconnectOnError: (err) => (err.message.startsWith("READONLY") ? 2 : false),
});
let client: Redis | undefined;
/**
 * The client, made again once it has ended: after two masters and Sentinel's conversion of one, the
 * ioredis Sentinel client was seen to end for good ("Connection is closed."), and a stand-in that never
 * recovers by itself would keep every later test's lab unhealthy.
 */
function redis(): Redis {
  if (!client || client.status === "end") {
    client = newRedis();
    client.on("error", () => {}); // reported through /health, not as a crash
  }
  return client;
}

let db: pg.Pool | undefined;
function database(): pg.Pool {
  db ??= new pg.Pool({
    host: HOST,
    port: HAPROXY.rw,
    user: PG_AUTH.superuser.username,
    password: readFileSync(path.join(paths.secrets, "pg-password"), "utf8").trim(),
    database: "postgres",
    max: 2,
    connectionTimeoutMillis: CHECK_TIMEOUT_MS,
    query_timeout: CHECK_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
  });
  db.on("error", () => {});
  return db;
}

interface Check {
  ok: boolean;
  latencyMs: number;
  error?: string;
  [k: string]: unknown;
}

async function timed(fn: () => Promise<Record<string, unknown> | void>): Promise<Check> {
  const t0 = performance.now();
  try {
    const extra = await Promise.race([
      fn(),
      new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`timed out after ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS)),
    ]);
    const out: Check = { ok: true, latencyMs: Math.round(performance.now() - t0), ...(extra ?? {}) };
    if (out.error) out.ok = false;
    return out;
  } catch (e) {
    return { ok: false, latencyMs: Math.round(performance.now() - t0), error: (e as Error).message };
  }
}

const checkDatabase = () =>
  timed(async () => {
    await database().query("SELECT 1");
  });
const checkRedis = () =>
  timed(async () => {
    await redis().ping();
  });
const checkMarketData = () =>
  timed(async () => {
    const v = await redis().get("last_market_update");
    if (v === null) return { error: "no market data (last_market_update missing)" };
    const ageSeconds = Date.now() / 1000 - Number(v);
    return ageSeconds > MARKET_DATA_MAX_AGE_S
      ? { ageSeconds, error: `market data stale: ${ageSeconds.toFixed(1)} s old` }
      : { ageSeconds };
  });

const CHECKS: Record<string, Record<string, () => Promise<Check>>> = {
  "trading-engine": { database: checkDatabase, redis: checkRedis, marketData: checkMarketData },
  "order-management": { database: checkDatabase },
  "risk-engine": { redis: checkRedis },
};

async function health() {
  const checks = CHECKS[spec.role] ?? {};
  const results = Object.fromEntries(
    await Promise.all(Object.entries(checks).map(async ([k, fn]) => [k, await fn()] as const)),
  );
  const up = Object.values(results).every((c) => c.ok);
  return { status: up ? "UP" : "DOWN", service: name, role: spec.role, checks: results };
}

if ("http" in spec) {
  createHttpServer(async (req, res) => {
    if (req.url === "/health") {
      const body = await health();
      res.writeHead(body.status === "UP" ? 200 : 503, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    } else if (req.url === "/name") {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end(`${name}\n`);
    } else {
      res.writeHead(404).end();
    }
  }).listen(spec.http, HOST);
}

if ("tcp" in spec) {
  createTcpServer((sock) => {
    sock.setEncoding("utf8");
    let buf = "";
    sock.on("data", (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        sock.write(line === "PING" ? "PONG\r\n" : "ERR unknown command\r\n");
      }
    });
    sock.on("error", () => {});
  }).listen(spec.tcp, HOST);
}

if (spec.role === "market-data-feeder") {
  // The key holds integer epoch seconds, as existing health checks read it; the _ms twin gives sub-second freshness.
  const publish = async () => {
    const now = Date.now();
    try {
      await redis().set("last_market_update", String(Math.floor(now / 1000)));
      await redis().set("last_market_update_ms", String(now));
    } catch {
      // Redis failing over; the next tick retries. Staleness is what the dashboard should see.
    }
  };
  redis().set("trading:enabled", "true").catch(() => {});
  setInterval(publish, 1000);
  void publish();
}

const shutdown = () => {
  client?.disconnect();
  void db?.end();
  process.exit(0);
};
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
console.log(`${name} (${spec.role}) started, pid ${process.pid}`);

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig, type Config } from "@/server/config/load";
import { close, closedPort, listen } from "@/server/testing/listen";
import { closeTcpConnections } from "@/server/collectors/tcp";
import { createCaller } from "@/server/trpc/root";
import { createInnerTRPCContext } from "@/server/trpc/init";
import { testUser } from "@/server/testing/actors";

const PASSWORD = "Hunter2-very-secret";

let dir: string;
let httpServer: http.Server;
let tcpServer: net.Server;
let httpPort: number;
let tcpPort: number;
let deadPort: number;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "raw-router-"));
  httpServer = http.createServer((req, res) => {
    if (req.url === "/health") return res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
    if (req.url === "/echo") {
      // A misbehaving peer that echoes a credential back in its body.
      return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ dsn: `postgres://app:${PASSWORD}@db/x` }));
    }
    if (req.url === "/stats;csv") {
      const ok = req.headers.authorization === `Basic ${Buffer.from(`admin:${PASSWORD}`).toString("base64")}`;
      if (!ok) return res.writeHead(401).end();
      return res.writeHead(200).end("# pxname,svname,status,type\nbe,s1,UP,2\nbe,BACKEND,UP,1\n");
    }
    res.writeHead(503).end();
  });
  httpPort = await listen(httpServer);
  tcpServer = net.createServer((s) => {
    s.on("error", () => {});
    s.on("data", () => s.write("PONG\r\n"));
  });
  tcpPort = await listen(tcpServer);
  deadPort = await closedPort();
});

afterAll(async () => {
  closeTcpConnections(); // the tcp collector keeps its connection between polls
  await close(tcpServer);
  await close(httpServer);
  rmSync(dir, { recursive: true, force: true });
});

function writeConfig(yaml: string): Config {
  writeFileSync(path.join(dir, "pw"), `${PASSWORD}\n`);
  const file = path.join(dir, "ha.config.yaml");
  writeFileSync(file, yaml);
  return loadConfig(file, { NODE_ENV: "test" });
}

const caller = (getConfig: () => Config) => createCaller(createInnerTRPCContext({ actor: testUser("viewer"), getConfig }));

describe("raw.state", () => {
  it("probes local http and tcp targets", async () => {
    const config = writeConfig(`
version: 1
defaults: { timeoutMs: 500 }
http:
  - { id: te1-health, name: "TE1 health", component: trading-engine, url: "http://127.0.0.1:${httpPort}/health" }
  - { id: te2-health, component: trading-engine, url: "http://127.0.0.1:${httpPort}/missing" }
tcp:
  - { id: te1-tcp, component: trading-engine, address: "127.0.0.1:${tcpPort}" }
  - { id: te2-tcp, component: trading-engine, address: "127.0.0.1:${deadPort}" }
`);
    const state = await caller(() => config).raw.state();
    expect(state.generatedAt).toBeInstanceOf(Date);
    expect(state.http.map((h) => [h.id, h.name, h.status, h.error])).toEqual([
      ["te1-health", "TE1 health", "UP", null],
      ["te2-health", "te2-health", "DOWN", "HTTP 503, expected 200"],
    ]);
    expect(state.http[0]?.data).toEqual({ statusCode: 200, body: { status: "ok" }, attempts: 1 });
    expect(state.tcp.map((t) => [t.id, t.status, t.error])).toEqual([
      ["te1-tcp", "UP", null],
      ["te2-tcp", "DOWN", "connection refused"],
    ]);
    expect(state.clusters).toEqual([]);
  });

  it("never returns a secret, even when a peer echoes it", async () => {
    const config = writeConfig(`
version: 1
defaults: { timeoutMs: 500 }
haproxy:
  - { id: haproxy, component: load-balancer, statsUrl: "http://127.0.0.1:${httpPort}/stats;csv", username: admin, password: { file: pw } }
redis:
  - { id: redis1, component: cache, url: "redis://127.0.0.1:${deadPort}", password: { file: pw } }
sentinels:
  - { id: labredis, component: cache, masterName: labredis, sentinels: ["127.0.0.1:${deadPort}"], sentinelPassword: { file: pw } }
clusters:
  - id: pg
    component: database
    nodes:
      - { name: pg1, rest: "http://127.0.0.1:${deadPort}", dsn: "postgres://postgres@127.0.0.1:5441/postgres", password: { file: pw } }
http:
  - { id: echo, component: trading-engine, url: "http://127.0.0.1:${httpPort}/echo" }
`);
    const state = await caller(() => config).raw.state();
    // The password was really used: the stats page requires it.
    expect(state.haproxy[0]?.status).toBe("UP");
    const json = JSON.stringify(state);
    expect(json).not.toContain(PASSWORD);
    expect(json).not.toContain("postgres://postgres@");
    expect(state.http[0]?.data?.body).toEqual({ dsn: "postgres://app:[redacted]@db/x" });
  });

  it("reports an invalid config with its problems", async () => {
    const err = await caller(() => {
      throw new ConfigError("/etc/ha.config.yaml", ["tcp[0].address: expected host:port such as 10.0.1.50:26379"]);
    })
      .raw.state()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TRPCError);
    expect((err as TRPCError).message).toContain("tcp[0].address: expected host:port");
  });

  it("hides the message of an unexpected error", async () => {
    const err = await caller(() => {
      throw new Error(`connect failed for postgres://postgres:${PASSWORD}@10.0.1.40/postgres`);
    })
      .raw.state()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TRPCError);
    expect((err as TRPCError).code).toBe("INTERNAL_SERVER_ERROR");
    expect((err as TRPCError).message).toBe("Internal server error");
  });
});

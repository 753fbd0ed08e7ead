import http from "node:http";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { close, closedPort, listen } from "@/server/testing/listen";
import { probeHttp } from "./http";
import type { HttpTarget } from "./types";

const servers: net.Server[] = [];

async function server(handler: http.RequestListener): Promise<number> {
  const s = http.createServer(handler);
  servers.push(s);
  return listen(s);
}

const target = (url: string, expectStatus = 200): HttpTarget => ({ id: "h", component: "trading-engine", url, expectStatus });

/** A TCP server that answers whatever it is sent with non-HTTP bytes. */
async function junkServer(): Promise<number> {
  const s = net.createServer((sock) => {
    sock.on("error", () => {});
    sock.on("data", () => sock.end("SSH-2.0-OpenSSH_9.2\r\nProtocol mismatch.\r\n"));
  });
  servers.push(s);
  return listen(s);
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => close(s)));
});

describe("http collector", () => {
  it("returns status, latency and the JSON body on 200", async () => {
    const port = await server((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ status: "ok", role: "active" }));
    });
    const r = await probeHttp(target(`http://127.0.0.1:${port}/health`), AbortSignal.timeout(1_000));
    expect(r.ok).toBe(true);
    expect(r.latencyMs).toBeGreaterThan(0);
    expect(r.data).toEqual({ statusCode: 200, body: { status: "ok", role: "active" }, attempts: 1 });
  });

  it("fails on 503 but keeps what the service said", async () => {
    const port = await server((_req, res) => {
      res.writeHead(503, { "content-type": "application/json" });
      res.end(JSON.stringify({ status: "draining" }));
    });
    const r = await probeHttp(target(`http://127.0.0.1:${port}/health`), AbortSignal.timeout(1_000));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toBe("HTTP 503, expected 200");
    expect(r.data).toEqual({ statusCode: 503, body: { status: "draining" }, attempts: 1 });
  });

  it("accepts the configured status", async () => {
    const port = await server((_req, res) => res.writeHead(204).end());
    const r = await probeHttp(target(`http://127.0.0.1:${port}/`, 204), AbortSignal.timeout(1_000));
    expect(r.ok).toBe(true);
    expect(r.data?.body).toBeNull();
  });

  it("gives up at the deadline when the server hangs", async () => {
    const port = await server(() => {});
    const start = performance.now();
    const r = await probeHttp(target(`http://127.0.0.1:${port}/health`), AbortSignal.timeout(300));
    const elapsed = performance.now() - start;
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^no answer within the deadline/);
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(600);
  });

  it("reports a refused connection without echoing the URL", async () => {
    const port = await closedPort();
    const r = await probeHttp(target(`http://user:s3cret-pw@127.0.0.1:${port}/health?token=abc`), AbortSignal.timeout(1_000));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toBe("connection refused");
    expect(JSON.stringify(r)).not.toContain("s3cret-pw");
  });

  it("sends user info from the URL as a Basic header", async () => {
    let auth: string | undefined;
    const port = await server((req, res) => {
      auth = req.headers.authorization;
      res.end("ok");
    });
    const r = await probeHttp(target(`http://mon:pw@127.0.0.1:${port}/`), AbortSignal.timeout(1_000));
    expect(r.ok).toBe(true);
    expect(auth).toBe(`Basic ${Buffer.from("mon:pw").toString("base64")}`);
  });

  it("reuses one keep-alive connection across polls", async () => {
    let connections = 0;
    const port = await server((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end('{"status":"UP"}'));
    servers[servers.length - 1]!.on("connection", () => connections++);
    for (let i = 0; i < 5; i++) {
      const r = await probeHttp(target(`http://127.0.0.1:${port}/health`), AbortSignal.timeout(1_000));
      expect(r.ok).toBe(true);
      await new Promise((res) => setTimeout(res, 50));
    }
    expect(connections).toBe(1);
  });

  it("sends again once when the pooled connection turns out closed, instead of reporting DOWN", async () => {
    // Every connection answers one request and then drops the next one unanswered, as a server
    // whose idle timeout races our request does.
    let connections = 0;
    const port = await server((req, res) => {
      const s = req.socket as net.Socket & { served?: number };
      s.served = (s.served ?? 0) + 1;
      if (s.served > 1) return void s.destroy();
      res.writeHead(200).end("ok");
    });
    servers[servers.length - 1]!.on("connection", () => connections++);
    const results = [];
    for (let i = 0; i < 4; i++) {
      results.push(await probeHttp(target(`http://127.0.0.1:${port}/`), AbortSignal.timeout(1_000)));
      await new Promise((res) => setTimeout(res, 50));
    }
    expect(results.map((r) => r.ok)).toEqual([true, true, true, true]);
    expect(results.some((r) => r.data?.attempts === 2)).toBe(true);
    expect(connections).toBeGreaterThan(1);
  });

  it("does not retry forever: a server that drops every request is reported", async () => {
    let requests = 0;
    const port = await server((req) => {
      requests++;
      req.socket.destroy();
    });
    const r = await probeHttp(target(`http://127.0.0.1:${port}/`), AbortSignal.timeout(1_000));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^(connection closed without an answer|connection reset)$/);
    expect(requests).toBe(2);
  });

  it("reports non-HTTP bytes on the port as such, at once", async () => {
    const port = await junkServer();
    const start = performance.now();
    const r = await probeHttp(target(`http://127.0.0.1:${port}/health`), AbortSignal.timeout(1_000));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^(the answer is not HTTP|connection closed without an answer)$/);
    expect(performance.now() - start).toBeLessThan(500);
  });
});

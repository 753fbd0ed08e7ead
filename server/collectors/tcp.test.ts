import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { close, closedPort, listen } from "@/server/testing/listen";
import { probeTcp } from "./tcp";
import type { TcpTarget } from "./types";

const servers: net.Server[] = [];
const sockets: net.Socket[] = [];

async function server(onConnection: (s: net.Socket) => void): Promise<number> {
  const s = net.createServer((sock) => {
    sockets.push(sock);
    sock.on("error", () => {});
    onConnection(sock);
  });
  servers.push(s);
  return listen(s);
}

const target = (port: number): TcpTarget => ({
  id: "t",
  component: "trading-engine",
  address: `127.0.0.1:${port}`,
  send: "PING\r\n",
  expect: "PONG",
});

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(servers.splice(0).map((s) => close(s)));
});

describe("tcp collector", () => {
  it("succeeds when the peer answers PONG to PING", async () => {
    const port = await server((s) => s.on("data", (d) => d.toString().includes("PING") && s.write("PONG\r\n")));
    const r = await probeTcp(target(port), AbortSignal.timeout(1_000));
    expect(r.ok).toBe(true);
    expect(r.latencyMs).toBeGreaterThan(0);
    expect(r.data?.received).toBe("PONG\\r\\n");
  });

  it("fails at once on a wrong answer", async () => {
    const port = await server((s) => s.on("data", () => s.write("GARBAGE\r\n")));
    const start = performance.now();
    const r = await probeTcp(target(port), AbortSignal.timeout(2_000));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain('expected "PONG", got "GARBAGE');
    expect(performance.now() - start).toBeLessThan(1_000);
  });

  it("fails when the peer closes without answering", async () => {
    const port = await server((s) => s.end());
    const r = await probeTcp(target(port), AbortSignal.timeout(1_000));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/closed without "PONG"|connection reset/);
  });

  it("gives up at the deadline when the peer never answers", async () => {
    const port = await server(() => {});
    const start = performance.now();
    const r = await probeTcp(target(port), AbortSignal.timeout(300));
    const elapsed = performance.now() - start;
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/no "PONG" within the deadline .*nothing received/);
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(600);
  });

  it("reports a refused connection", async () => {
    const r = await probeTcp(target(await closedPort()), AbortSignal.timeout(1_000));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toBe("connection refused");
  });

  it("returns at once for an already aborted signal", async () => {
    const port = await server(() => {});
    const r = await probeTcp(target(port), AbortSignal.abort());
    expect(r.ok).toBe(false);
  });
});

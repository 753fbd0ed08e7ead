import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { close, closedPort, listen } from "@/server/testing/listen";
import { closeTcpConnections, heldTcpConnectionCount, probeTcp } from "./tcp";
import type { TcpTarget } from "./types";

const servers: net.Server[] = [];
const sockets: net.Socket[] = [];

let connections = 0;

async function server(onConnection: (s: net.Socket) => void): Promise<number> {
  connections = 0;
  const s = net.createServer((sock) => {
    connections++;
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
  closeTcpConnections();
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
    expect(r.data?.reused).toBe(false);
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

  /** Answers every PING line on the same connection, like the lab's trading engine. */
  const pingPong = (s: net.Socket) => {
    let buf = "";
    s.on("data", (d) => {
      buf += d.toString();
      for (let nl = buf.indexOf("\n"); nl >= 0; nl = buf.indexOf("\n")) {
        s.write(buf.slice(0, nl).trim() === "PING" ? "PONG\r\n" : "ERR\r\n");
        buf = buf.slice(nl + 1);
      }
    });
  };

  it("keeps one connection per target across polls", async () => {
    const port = await server(pingPong);
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await probeTcp(target(port), AbortSignal.timeout(1_000)));
    expect(results.map((r) => r.ok)).toEqual([true, true, true, true, true]);
    expect(results.map((r) => r.data?.reused)).toEqual([false, true, true, true, true]);
    expect(results[1]?.data?.connectMs).toBe(0);
    expect(results[1]?.data?.received).toBe("PONG\\r\\n");
    expect(connections).toBe(1);
    expect(heldTcpConnectionCount()).toBe(1);
  });

  it("works with a peer that hangs up after each answer", async () => {
    const port = await server((s) => s.on("data", () => s.end("PONG\r\n")));
    for (let i = 0; i < 3; i++) {
      const r = await probeTcp(target(port), AbortSignal.timeout(1_000));
      expect(r.ok).toBe(true);
      await new Promise((res) => setTimeout(res, 20));
    }
    expect(connections).toBe(3);
  });

  it("reconnects within the poll when the held connection turns out closed by the peer", async () => {
    // Each connection answers one PING, then drops the connection on the next one without answering.
    const port = await server((s) => {
      let served = 0;
      s.on("data", () => (served++ === 0 ? s.write("PONG\r\n") : s.destroy()));
    });
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await probeTcp(target(port), AbortSignal.timeout(1_000)));
    expect(results.map((r) => r.ok)).toEqual([true, true, true]);
    expect(results.map((r) => r.data?.reused)).toEqual([false, false, false]);
    expect(connections).toBe(3);
  });

  it("drops a held connection that stops answering, and reconnects on the next poll", async () => {
    let answer = true;
    const port = await server((s) => s.on("data", () => answer && s.write("PONG\r\n")));
    expect((await probeTcp(target(port), AbortSignal.timeout(1_000))).ok).toBe(true);
    answer = false;
    const start = performance.now();
    const frozen = await probeTcp(target(port), AbortSignal.timeout(300));
    expect(performance.now() - start).toBeLessThan(450);
    expect(frozen.ok).toBe(false);
    if (!frozen.ok) expect(frozen.error).toMatch(/^no "PONG" within the deadline .*nothing received/);
    expect(heldTcpConnectionCount()).toBe(0);
    answer = true;
    const back = await probeTcp(target(port), AbortSignal.timeout(1_000));
    expect(back.ok).toBe(true);
    expect(back.data?.reused).toBe(false);
    expect(connections).toBe(2);
  });

  it("reports a peer that went away since the last poll as refused", async () => {
    const port = await server(pingPong);
    expect((await probeTcp(target(port), AbortSignal.timeout(1_000))).ok).toBe(true);
    for (const s of sockets.splice(0)) s.destroy();
    await Promise.all(servers.splice(0).map((s) => close(s)));
    const r = await probeTcp(target(port), AbortSignal.timeout(1_000));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toBe("connection refused");
  });

  it("closeTcpConnections closes what is held", async () => {
    let closed = 0;
    const port = await server((s) => {
      pingPong(s);
      s.on("close", () => closed++);
    });
    expect((await probeTcp(target(port), AbortSignal.timeout(1_000))).ok).toBe(true);
    expect(heldTcpConnectionCount()).toBe(1);
    closeTcpConnections();
    expect(heldTcpConnectionCount()).toBe(0);
    await new Promise((res) => setTimeout(res, 50));
    expect(closed).toBe(1);
  });

  it("opens a connection per poll for a banner protocol (empty send)", async () => {
    const port = await server((s) => s.write("220 ready\r\n"));
    const banner: TcpTarget = { ...target(port), send: "", expect: "220" };
    for (let i = 0; i < 2; i++) expect((await probeTcp(banner, AbortSignal.timeout(1_000))).ok).toBe(true);
    expect(connections).toBe(2);
    expect(heldTcpConnectionCount()).toBe(0);
  });
});

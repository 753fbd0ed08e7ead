import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { close, closedPort, listen } from "@/server/testing/listen";
import { cachedRedisClients, closeIdleRedisClients, closeRedisClients, describeRedisError, redisEndpointFromUrl, withRedis } from "./redis-connection";
import { SILENT, startRespServer, type RespServer } from "./testing/resp-server";

const servers: RespServer[] = [];
const raw: net.Server[] = [];
const rawSockets: net.Socket[] = [];
afterEach(async () => {
  closeRedisClients();
  for (const sock of rawSockets.splice(0)) sock.destroy();
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await Promise.all(raw.splice(0).map((s) => close(s)));
});

async function fake(handler?: Parameters<typeof startRespServer>[0]): Promise<RespServer> {
  const s = await startRespServer(handler);
  servers.push(s);
  return s;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ping = (port: number, signal = AbortSignal.timeout(1_000), password?: string) =>
  withRedis({ host: "127.0.0.1", port, password }, signal, 1_000, (c, info) => c.ping().then((reply) => ({ reply, ...info })));

/** The safe message a probe would show for `work` failing against `port`. */
async function failure(port: number, password?: string, deadlineMs = 1_000): Promise<string> {
  const signal = AbortSignal.timeout(deadlineMs);
  const start = performance.now();
  try {
    await ping(port, signal, password);
    return "no error";
  } catch (e) {
    return describeRedisError(e, signal, start);
  }
}

describe("redis connection cache", () => {
  it("reuses one connection across calls, and names it", async () => {
    const s = await fake();
    const first = await ping(s.port);
    const second = await ping(s.port);
    expect(first).toMatchObject({ reply: "PONG", reused: false });
    expect(second).toEqual({ reply: "PONG", reused: true, connectMs: 0 });
    expect(s.connections).toHaveLength(1);
    expect(s.commands).toContainEqual(["CLIENT", "SETNAME", "ha-control-room"]);
  });

  it("shares one connection attempt between concurrent calls", async () => {
    const s = await fake();
    await Promise.all([ping(s.port), ping(s.port), ping(s.port)]);
    expect(s.connections).toHaveLength(1);
  });

  it("opens a new connection when the server closed the cached one", async () => {
    const s = await fake();
    await ping(s.port);
    s.connections[0]!.socket.destroy();
    await sleep(50);
    expect((await ping(s.port)).reply).toBe("PONG");
    expect(s.connections).toHaveLength(2);
  });

  it("drops a connection that missed its deadline; the next call connects afresh", async () => {
    let hang = true;
    const s = await fake((args) => (args[0]?.toUpperCase() === "PING" && hang ? SILENT : undefined));
    expect(await failure(s.port, undefined, 200)).toMatch(/^no answer within the deadline/);
    hang = false;
    expect((await ping(s.port)).reply).toBe("PONG");
    expect(s.connections).toHaveLength(2);
    expect(s.connections[0]!.socket.destroyed || s.connections[0]!.socket.readableEnded).toBe(true);
  });

  it("costs one connection attempt per call against a refused port, and caches nothing broken", async () => {
    const port = await closedPort();
    expect(await failure(port)).toBe("connection refused");
    expect(await failure(port)).toBe("connection refused");
    await sleep(20);
    expect(cachedRedisClients()).toBe(0);
  });

  it("keeps a server's other error replies, with a password it echoed redacted", async () => {
    const s = await fake((args) => (args[0] === "AUTH" ? { error: `ERR odd proxy reply to ${args.at(-1)}` } : undefined));
    const msg = await failure(s.port, "hunter2-secret");
    expect(msg).toBe("redis replied: ERR odd proxy reply to [redacted]");
  });

  it("surfaces an AUTH failure in plain words, without the password", async () => {
    const s = await fake((args) =>
      args[0] === "AUTH" ? { error: `WRONGPASS invalid username-password pair, you sent ${args.at(-1)}` } : undefined,
    );
    const msg = await failure(s.port, "hunter2-secret");
    expect(msg).toBe("Redis refused the credentials (WRONGPASS); check the username and password");
    expect(msg).not.toContain("hunter2-secret");
    // Not cached: the next poll authenticates again (the secret may have been fixed meanwhile).
    await failure(s.port, "hunter2-secret");
    expect(s.connections).toHaveLength(2);
  });

  it("keeps the connection after an error reply to an ordinary command", async () => {
    const s = await fake();
    await expect(withRedis({ host: "127.0.0.1", port: s.port }, AbortSignal.timeout(1_000), 1_000, (c) => c.call("NOSUCH"))).rejects.toThrow(/unknown command/);
    await ping(s.port);
    expect(s.connections).toHaveLength(1);
  });

  it("keeps one client per credential, so two targets with different secrets do not replace each other", async () => {
    const s = await fake();
    for (let i = 0; i < 3; i++) {
      await ping(s.port, undefined, "old");
      await ping(s.port, undefined, "new");
    }
    expect(s.commands.filter((c) => c[0] === "AUTH")).toEqual([["AUTH", "old"], ["AUTH", "new"]]);
    expect(s.connections).toHaveLength(2);
    expect(cachedRedisClients()).toBe(2);
  });

  it("closes clients nobody used for a while (a rotated secret, a target gone from the config)", async () => {
    const s = await fake();
    await ping(s.port, undefined, "old");
    closeIdleRedisClients(0);
    expect(cachedRedisClients()).toBe(0);
    await sleep(50);
    expect(s.connections[0]!.socket.readableEnded || s.connections[0]!.socket.destroyed).toBe(true);
  });

  it("describes a peer that writes something other than RESP", async () => {
    const junk = net.createServer((sock) => {
      rawSockets.push(sock);
      sock.on("error", () => {});
      sock.write("HTTP/1.1 400 Bad Request\r\n\r\n");
    });
    raw.push(junk);
    const port = await listen(junk);
    const start = performance.now();
    expect(await failure(port)).toBe("the peer does not speak the Redis protocol");
    expect(performance.now() - start).toBeLessThan(500);
  });

  it("closeRedisClients closes every cached connection", async () => {
    const s = await fake();
    await ping(s.port);
    expect(cachedRedisClients()).toBe(1);
    closeRedisClients();
    await sleep(50);
    expect(cachedRedisClients()).toBe(0);
    expect(s.connections[0]!.socket.readableEnded || s.connections[0]!.socket.destroyed).toBe(true);
  });

  it("parses a target URL into an endpoint", () => {
    expect(redisEndpointFromUrl("redis://monitor@[::1]:6380/2", "pw")).toEqual({ host: "::1", port: 6380, username: "monitor", password: "pw", db: 2 });
    expect(redisEndpointFromUrl("redis://10.0.1.50", undefined)).toEqual({ host: "10.0.1.50", port: 6379, username: undefined, password: undefined, db: 0 });
  });
});

import net from "node:net";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { Secret } from "@/server/config/load";
import { close, closedPort, listen } from "@/server/testing/listen";
import { probePostgres, type PostgresTarget } from "./postgres";
import { APPLICATION_NAME, closePostgresPools, pooledBackendPid } from "./postgres-connection";
import type { StatusRow } from "./postgres-sql";
import { PRIMARY_ROW } from "./testing/postgres-rows";

// ---------------------------------------------------------------- probe against local servers

/**
 * Just enough of the PostgreSQL v3 protocol to answer the collector: startup (optionally with a cleartext
 * password), BackendKeyData, and one status row per simple Query. `freeze` makes it stop answering.
 */
class FakePostgres {
  readonly server: net.Server;
  readonly sockets = new Set<net.Socket>();
  readonly startups: Record<string, string>[] = [];
  connections = 0;
  queries = 0;
  freeze = false;
  private nextPid = 1000;

  constructor(private readonly opts: { password?: string; row?: StatusRow } = {}) {
    this.server = net.createServer((s) => this.accept(s));
  }

  private accept(sock: net.Socket) {
    this.connections++;
    this.sockets.add(sock);
    sock.on("close", () => this.sockets.delete(sock));
    sock.on("error", () => {});
    const pid = this.nextPid++;
    let buf = Buffer.alloc(0);
    let started = false;
    sock.on("data", (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        if (this.freeze) return;
        if (!started) {
          if (buf.length < 4 || buf.length < buf.readInt32BE(0)) return;
          const len = buf.readInt32BE(0);
          const parts = buf.subarray(8, len - 1).toString("utf8").split("\0");
          buf = buf.subarray(len);
          started = true;
          const params: Record<string, string> = {};
          for (let i = 0; i + 1 < parts.length; i += 2) params[parts[i]!] = parts[i + 1]!;
          this.startups.push(params);
          if (this.opts.password !== undefined) sock.write(msg("R", int32(3)));
          else this.ready(sock, pid);
          continue;
        }
        if (buf.length < 5 || buf.length < 1 + buf.readInt32BE(1)) return;
        const type = String.fromCharCode(buf[0]!);
        const body = buf.subarray(5, 1 + buf.readInt32BE(1));
        buf = buf.subarray(1 + buf.readInt32BE(1));
        if (type === "p") {
          if (body.toString("utf8").replace(/\0$/, "") === this.opts.password) this.ready(sock, pid);
          else sock.end(errorResponse("28P01", `password authentication failed for user "postgres"`));
        } else if (type === "Q") {
          this.queries++;
          sock.write(Buffer.concat([...statusRow({ ...(this.opts.row ?? PRIMARY_ROW), backend_pid: pid }), msg("C", cstr("SELECT 1")), msg("Z", Buffer.from("I"))]));
        } else if (type === "X") {
          sock.end();
        }
      }
    });
  }

  private ready(sock: net.Socket, pid: number) {
    sock.write(Buffer.concat([msg("R", int32(0)), msg("K", Buffer.concat([int32(pid), int32(7)])), msg("Z", Buffer.from("I"))]));
  }
}

const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const int16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
};
const cstr = (s: string) => Buffer.from(`${s}\0`, "utf8");
const msg = (type: string, body: Buffer) => Buffer.concat([Buffer.from(type), int32(body.length + 4), body]);
const errorResponse = (code: string, message: string) =>
  msg("E", Buffer.concat([Buffer.from("S"), cstr("FATAL"), Buffer.from("C"), cstr(code), Buffer.from("M"), cstr(message), Buffer.from([0])]));

/** RowDescription + DataRow for a status row, with the type OIDs PostgreSQL uses for each column. */
function statusRow(row: StatusRow): Buffer[] {
  const oid: Record<string, number> = { in_recovery: 16, replay_paused: 16, backend_pid: 23, server_version: 23, timeline: 23, replay_gap_bytes: 701, replay_lag_seconds: 701, last_replay_at: 1184, wal_receiver: 114, replication: 114 };
  const cols = Object.entries(row);
  const desc = Buffer.concat([int16(cols.length), ...cols.map(([name]) => Buffer.concat([cstr(name), int32(0), int16(0), int32(oid[name] ?? 25), int16(-1), int32(-1), int16(0)]))]);
  const text = (v: unknown): string | null => {
    if (v === null || v === undefined) return null;
    if (typeof v === "boolean") return v ? "t" : "f";
    if (v instanceof Date) return v.toISOString();
    return typeof v === "object" ? JSON.stringify(v) : String(v);
  };
  const data = Buffer.concat([
    int16(cols.length),
    ...cols.map(([, v]) => {
      const t = text(v);
      return t === null ? int32(-1) : Buffer.concat([int32(Buffer.byteLength(t)), Buffer.from(t)]);
    }),
  ]);
  return [msg("T", desc), msg("D", data)];
}

const servers: net.Server[] = [];
async function start(fake: FakePostgres): Promise<number> {
  servers.push(fake.server);
  return listen(fake.server);
}
/** A raw TCP server with a custom connection handler: for peers that are not PostgreSQL. */
async function raw(onConnection: (s: net.Socket) => void): Promise<{ port: number; open: () => number }> {
  const sockets = new Set<net.Socket>();
  const s = net.createServer((sock) => {
    sockets.add(sock);
    sock.on("close", () => sockets.delete(sock));
    sock.on("error", () => {});
    sock.resume(); // read (and drop) what the client sends, so its FIN is seen
    onConnection(sock);
  });
  servers.push(s);
  return { port: await listen(s), open: () => sockets.size };
}

let seq = 0;
function target(port: number, password?: Secret, timeoutMs?: number): PostgresTarget {
  const node = { name: "pg1", rest: "http://127.0.0.1:1", dsn: `postgres://postgres@127.0.0.1:${port}/postgres`, password };
  // A fresh cluster id per test: each test starts without a cached connection.
  return { cluster: { id: `unit-${++seq}`, component: "database", timeoutMs, nodes: [node] }, node };
}

const waitUntil = async (cond: () => boolean, ms = 1_000) => {
  const until = performance.now() + ms;
  while (!cond() && performance.now() < until) await new Promise((r) => setTimeout(r, 10));
  return cond();
};

afterEach(async () => {
  await closePostgresPools();
  await Promise.all(servers.splice(0).map((s) => close(s)));
});
afterAll(() => closePostgresPools());

const SAFE = /s3cret|postgres:\/\/|password authentication failed/;

describe("postgres collector against a local server", () => {
  it("reuses one connection across polls: connectMs 0 and the same backend the second time", async () => {
    const fake = new FakePostgres();
    const t = target(await start(fake));
    const first = await probePostgres(t, AbortSignal.timeout(1_000));
    expect(first.ok).toBe(true);
    expect(first.data?.connectMs).toBeGreaterThan(0);
    const pid = pooledBackendPid(t);
    const second = await probePostgres(t, AbortSignal.timeout(1_000));
    expect(second.ok).toBe(true);
    expect(second.data?.connectMs).toBe(0);
    expect(pooledBackendPid(t)).toBe(pid);
    expect(fake.connections).toBe(1);
    expect(fake.queries).toBe(2);
    expect(fake.startups[0]).toMatchObject({ user: "postgres", database: "postgres", application_name: APPLICATION_NAME, statement_timeout: "800" });
  });

  it("reveals the password only while connecting, once per connection", async () => {
    let reveals = 0;
    const secret = new (class extends Secret {
      reveal() {
        reveals++;
        return super.reveal();
      }
    })("right");
    const fake = new FakePostgres({ password: "right" });
    const t = target(await start(fake), secret, 500);
    for (let i = 0; i < 3; i++) expect((await probePostgres(t, AbortSignal.timeout(1_000))).ok).toBe(true);
    expect(reveals).toBe(1);
    expect(fake.startups[0]?.statement_timeout).toBe("500");
  });

  it("wrong password: ok false with a fixed phrase, nothing cached", async () => {
    const fake = new FakePostgres({ password: "right" });
    const t = target(await start(fake), new Secret("s3cret"));
    const r = await probePostgres(t, AbortSignal.timeout(1_000));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^authentication failed \(wrong user or password\) \(connect 127\.0\.0\.1:\d+\)$/);
    expect(pooledBackendPid(t)).toBeNull();
  });

  it("a server that freezes after connecting: the deadline ends the poll and the connection, the next poll starts clean", async () => {
    const fake = new FakePostgres();
    const t = target(await start(fake));
    expect((await probePostgres(t, AbortSignal.timeout(1_000))).ok).toBe(true);
    fake.freeze = true;
    const t0 = performance.now();
    const r = await probePostgres(t, AbortSignal.timeout(300));
    expect(performance.now() - t0).toBeLessThan(300 + 100);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^no answer within the deadline \(\d+ ms\) \(query 127\.0\.0\.1:\d+\)$/);
    expect(pooledBackendPid(t)).toBeNull();
    expect(await waitUntil(() => fake.sockets.size === 0)).toBe(true);
    fake.freeze = false;
    const again = await probePostgres(t, AbortSignal.timeout(1_000));
    expect(again.ok).toBe(true);
    expect(again.data?.connectMs).toBeGreaterThan(0);
    expect(fake.connections).toBe(2);
  });

  it("a cached connection the server closed between polls: reconnects within the same poll", async () => {
    const fake = new FakePostgres();
    const t = target(await start(fake));
    expect((await probePostgres(t, AbortSignal.timeout(1_000))).ok).toBe(true);
    for (const s of fake.sockets) s.destroy();
    await waitUntil(() => pooledBackendPid(t) === null);
    const r = await probePostgres(t, AbortSignal.timeout(1_000));
    expect(r.ok).toBe(true);
    expect(r.data?.connectMs).toBeGreaterThan(0);
  });

  it("connection refused", async () => {
    const r = await probePostgres(target(await closedPort()), AbortSignal.timeout(1_000));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^connection refused \(connect 127\.0\.0\.1:\d+\)$/);
  });

  it("garbage on the port, then close: a safe reason, fast", async () => {
    const srv = await raw((s) => s.end("HTTP/1.1 400 Bad Request\r\n\r\n"));
    const t0 = performance.now();
    const r = await probePostgres(target(srv.port), AbortSignal.timeout(1_000));
    expect(performance.now() - t0).toBeLessThan(500);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^connection closed by the server \(connect /);
  });

  it("a well-framed reply that is not PostgreSQL's", async () => {
    const srv = await raw((s) => s.write(msg("x", Buffer.from("junk"))));
    const r = await probePostgres(target(srv.port), AbortSignal.timeout(1_000));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^not a PostgreSQL server \(unexpected reply\) \(connect /);
    expect(await waitUntil(() => srv.open() === 0)).toBe(true);
  });

  it("a peer that never completes the startup handshake: ok false at the deadline, socket released", async () => {
    for (const behaviour of [() => {}, (s: net.Socket) => s.write("SSH-2.0-OpenSSH_9.2\r\n")]) {
      const srv = await raw(behaviour);
      const t0 = performance.now();
      const r = await probePostgres(target(srv.port), AbortSignal.timeout(300));
      expect(performance.now() - t0).toBeLessThan(300 + 100);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error).toMatch(/^no answer within the deadline \(\d+ ms\) \(connect 127\.0\.0\.1:\d+\)$/);
        expect(r.error).not.toMatch(SAFE);
      }
      expect(await waitUntil(() => srv.open() === 0)).toBe(true);
    }
  });

  it("two probes of one node at once: both answer, one connection stays cached", async () => {
    const fake = new FakePostgres();
    const t = target(await start(fake));
    const [a, b] = await Promise.all([probePostgres(t, AbortSignal.timeout(1_000)), probePostgres(t, AbortSignal.timeout(1_000))]);
    expect(a.ok && b.ok).toBe(true);
    expect(await waitUntil(() => fake.sockets.size === 1)).toBe(true);
  });

  it("closePostgresPools closes every cached connection", async () => {
    const fake = new FakePostgres();
    const t = target(await start(fake));
    expect((await probePostgres(t, AbortSignal.timeout(1_000))).ok).toBe(true);
    expect(fake.sockets.size).toBe(1);
    await closePostgresPools();
    expect(pooledBackendPid(t)).toBeNull();
    expect(await waitUntil(() => fake.sockets.size === 0)).toBe(true);
  });
});

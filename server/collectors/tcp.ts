import net from "node:net";
import { z } from "zod";
import { HostPort, TargetBase } from "@/server/config/fields";
import type { EntryOf, KindDef, ProbeResult, Section } from "./types";
import { describeError, preview, since, splitHostPort } from "./util";
import { judgeTcp, type TcpHealthData } from "@/server/health/judge";

export const TcpCheck = z.strictObject({
  ...TargetBase,
  address: HostPort,
  /** Sent after connecting; the seed's HAProxy tcp-check sends "PING\r\n" and expects "PONG". */
  send: z.string().default("PING\r\n"),
  expect: z.string().min(1).default("PONG"),
});

export const TCP: Section<"tcp", typeof TcpCheck> = { name: "tcp", schema: TcpCheck };
export type TcpTarget = EntryOf<typeof TCP>;

export interface TcpData {
  /** What the peer sent this poll before the verdict (escaped, bounded). */
  received: string;
  /** Time to connect this poll: 0 when the held connection was reused, null when no connection was made. */
  connectMs: number | null;
  /** The answer came over the connection held from an earlier poll. */
  reused: boolean;
}

/** Give up early on a peer that keeps talking without ever sending the expected text. */
const MAX_BUFFER = 4096;

/** One connection held between polls. Its listeners stay for its whole life; a poll plugs in as `waiter`. */
interface Held {
  socket: net.Socket;
  targetId: string;
  address: string;
  buffer: string;
  busy: boolean;
  closed: boolean;
  /** Set by closeTcpConnections(): a probe must not reconnect after this. */
  retired: boolean;
  waiter?: { onData(): void; onClose(error?: Error): void };
}

// On globalThis so that Next's hot reload in dev does not leak one connection per reload.
const globalForTcp = globalThis as { __hacrTcpConnections?: Map<string, Held> };
const heldConnections = (globalForTcp.__hacrTcpConnections ??= new Map<string, Held>());

/** Close every held connection (shutdown, tests). Probes in flight fail instead of reconnecting. */
export function closeTcpConnections(): void {
  for (const h of heldConnections.values()) {
    h.retired = true;
    h.socket.destroy();
  }
  heldConnections.clear();
}

/** Number of connections held between polls (tests, diagnostics). */
export function heldTcpConnectionCount(): number {
  return heldConnections.size;
}

function hold(target: TcpTarget, socket: net.Socket): Held {
  const h: Held = { socket, targetId: target.id, address: target.address, buffer: "", busy: true, closed: false, retired: false };
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => {
    h.buffer = (h.buffer + chunk).slice(-2 * MAX_BUFFER);
    h.waiter?.onData();
  });
  const gone = (error?: Error) => {
    h.closed = true;
    if (heldConnections.get(h.targetId) === h) heldConnections.delete(h.targetId);
    h.waiter?.onClose(error);
  };
  socket.on("end", () => gone());
  socket.on("close", () => gone());
  socket.on("error", (e) => gone(e));
  return h;
}

function drop(h: Held): void {
  h.closed = true;
  if (heldConnections.get(h.targetId) === h) heldConnections.delete(h.targetId);
  h.socket.destroy();
}

/** The idle held connection for this target, marked busy; undefined when there is none to reuse. */
function takeHeld(target: TcpTarget): Held | undefined {
  const h = heldConnections.get(target.id);
  if (!h || h.busy) return undefined;
  if (h.closed || h.socket.destroyed || h.address !== target.address) {
    drop(h);
    return undefined;
  }
  h.busy = true;
  h.socket.ref();
  return h;
}

function release(h: Held): void {
  h.busy = false;
  const current = heldConnections.get(h.targetId);
  if (current && current !== h) return drop(h); // a concurrent probe's one-off connection
  heldConnections.set(h.targetId, h);
  // An idle held connection must not keep a CLI or test process alive.
  h.socket.unref();
}

function open(target: TcpTarget, signal: AbortSignal): Promise<Held> {
  const { host, port } = splitHostPort(target.address);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port, noDelay: true, keepAlive: true, keepAliveInitialDelay: 10_000 });
    const onAbort = () => {
      socket.destroy();
      reject(signal.reason);
    };
    const onError = (e: Error) => {
      signal.removeEventListener("abort", onAbort);
      socket.destroy();
      reject(e);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    socket.once("error", onError);
    socket.once("connect", () => {
      signal.removeEventListener("abort", onAbort);
      socket.removeListener("error", onError);
      resolve(hold(target, socket));
    });
  });
}

type Exchange =
  | { ok: true; received: string }
  | { ok: false; received: string; error: string; closedBeforeAnswer: boolean };

/** Send `target.send` on the connection and wait for `target.expect`. */
function exchange(h: Held, target: TcpTarget, signal: AbortSignal, start: number, reused: boolean): Promise<Exchange> {
  // Anything a reused connection received between polls is not an answer to this poll.
  if (reused) h.buffer = "";
  return new Promise((resolve) => {
    let settled = false;
    const finish = (r: Exchange) => {
      if (settled) return;
      settled = true;
      h.waiter = undefined;
      signal.removeEventListener("abort", onAbort);
      resolve(r);
    };
    const got = () => (h.buffer ? `; got "${preview(h.buffer)}"` : "");
    const onAbort = () =>
      finish({
        ok: false,
        received: h.buffer,
        closedBeforeAnswer: false,
        error: `no "${preview(target.expect)}" within the deadline (${Math.round(since(start))} ms)` + (h.buffer ? got() : "; nothing received"),
      });
    h.waiter = {
      onData: () => {
        if (h.buffer.includes(target.expect)) return finish({ ok: true, received: h.buffer });
        const lineDone = !target.expect.includes("\n") && h.buffer.includes("\n");
        if (lineDone || h.buffer.length > MAX_BUFFER) {
          finish({ ok: false, received: h.buffer, closedBeforeAnswer: false, error: `expected "${preview(target.expect)}", got "${preview(h.buffer)}"` });
        }
      },
      onClose: (e) =>
        finish({
          ok: false,
          received: h.buffer,
          closedBeforeAnswer: h.buffer === "",
          error: e && !signal.aborted ? describeError(e, signal, start) : `connection closed without "${preview(target.expect)}"` + got(),
        }),
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    if (h.closed) return h.waiter.onClose();
    if (h.buffer) h.waiter.onData(); // a banner that arrived with the connection
    if (settled) return;
    if (target.send) h.socket.write(target.send);
  });
}

/**
 * Send `target.send` and wait for `target.expect` (HAProxy's tcp-check send/expect) over one
 * connection held per target across polls, as a trading client would keep it. A complete line
 * without the expected text fails at once. A failure or the deadline closes the connection, so
 * the next poll starts afresh; a held connection found closed by the peer (one that answers once
 * and hangs up, or restarted) is replaced within the same poll. With an empty `send` (a banner
 * protocol) nothing is held: a banner comes only once per connection.
 */
export async function probeTcp(target: TcpTarget, signal: AbortSignal): Promise<ProbeResult<TcpData>> {
  const start = performance.now();
  let connectMs: number | null = null;
  const result = (ok: boolean, received: string, reused: boolean, error?: string): ProbeResult<TcpData> => {
    const data = { received: preview(received), connectMs, reused };
    return ok ? { ok: true, latencyMs: since(start), data } : { ok: false, latencyMs: since(start), error: error ?? "probe failed", data };
  };
  if (signal.aborted) return result(false, "", false, describeError(null, signal, start, "connecting"));

  let h = target.send ? takeHeld(target) : undefined;
  let reused = h !== undefined;
  if (reused) connectMs = 0;
  for (;;) {
    if (!h) {
      try {
        h = await open(target, signal);
        connectMs = since(start);
      } catch (e) {
        return result(false, "", false, describeError(e, signal, start, signal.aborted ? "connecting" : undefined));
      }
    }
    const r = await exchange(h, target, signal, start, reused);
    if (r.ok) {
      if (target.send) release(h);
      else drop(h);
      return result(true, r.received, reused);
    }
    drop(h);
    const retry = reused && r.closedBeforeAnswer && !h.retired && !signal.aborted;
    if (!retry) return result(false, r.received, reused, r.error);
    h = undefined;
    reused = false;
  }
}

export const tcpCollector: KindDef<"tcp", typeof TCP, TcpTarget, TcpData, { tcp: readonly TcpTarget[] }, TcpHealthData> = {
  kind: "tcp",
  section: TCP,
  units: (config) => config.tcp.map((t) => ({ entry: t, target: t })),
  probe: probeTcp,
  judge: judgeTcp,
};

import net from "node:net";
import { close, listen } from "@/server/testing/listen";

/**
 * Test helper, imported only by unit tests: a tiny RESP2 server whose answers the test scripts, so
 * connection reuse, AUTH failures and Sentinel pub/sub can be tested without the lab.
 */

export type Resp = { simple: string } | { error: string } | number | string | null | Resp[];

export function encode(v: Resp): string {
  if (v === null) return "$-1\r\n";
  if (typeof v === "number") return `:${v}\r\n`;
  if (typeof v === "string") return `$${Buffer.byteLength(v)}\r\n${v}\r\n`;
  if (Array.isArray(v)) return `*${v.length}\r\n${v.map(encode).join("")}`;
  if ("simple" in v) return `+${v.simple}\r\n`;
  return `-${v.error}\r\n`;
}

/** Parses as many complete commands (arrays of bulk strings) as `buf` holds; returns them and the rest. */
export function parseCommands(buf: string): { commands: string[][]; rest: string } {
  const commands: string[][] = [];
  let i = 0;
  outer: while (i < buf.length) {
    const start = i;
    const lineEnd = (from: number) => buf.indexOf("\r\n", from);
    let e = lineEnd(i);
    if (e < 0 || buf[i] !== "*") break;
    const n = Number(buf.slice(i + 1, e));
    i = e + 2;
    const args: string[] = [];
    for (let k = 0; k < n; k++) {
      e = lineEnd(i);
      if (e < 0) {
        i = start;
        break outer;
      }
      const len = Number(buf.slice(i + 1, e));
      if (buf.length < e + 2 + len + 2) {
        i = start;
        break outer;
      }
      args.push(buf.slice(e + 2, e + 2 + len));
      i = e + 2 + len + 2;
    }
    commands.push(args);
  }
  return { commands, rest: buf.slice(i) };
}

export interface RespConnection {
  socket: net.Socket;
  /** Channels and patterns this connection subscribed to. */
  patterns: Set<string>;
  send(v: Resp): void;
}

/** Send no answer at all (a server that hangs). */
export const SILENT = Symbol("silent");

/** Answers one command; undefined falls back to the defaults below. */
export type RespHandler = (args: string[], conn: RespConnection) => Resp | typeof SILENT | undefined;

export interface RespServer {
  port: number;
  connections: RespConnection[];
  /** Every command received, upper-cased name first. */
  commands: string[][];
  /** Sends a pmessage to every connection subscribed to `pattern`. */
  publish(pattern: string, channel: string, message: string): void;
  close(): Promise<void>;
}

/** `handler` answers first; then defaults for PING, CLIENT, AUTH (accepts anything) and (P)SUBSCRIBE. */
export async function startRespServer(handler: RespHandler = () => undefined): Promise<RespServer> {
  const connections: RespConnection[] = [];
  const commands: string[][] = [];
  const server = net.createServer((socket) => {
    const conn: RespConnection = { socket, patterns: new Set(), send: (v) => socket.write(encode(v)) };
    connections.push(conn);
    socket.on("error", () => {});
    let buf = "";
    socket.on("data", (chunk) => {
      const parsed = parseCommands(buf + chunk.toString("utf8"));
      buf = parsed.rest;
      for (const args of parsed.commands) {
        const name = (args[0] ?? "").toUpperCase();
        commands.push([name, ...args.slice(1)]);
        const custom = handler(args, conn);
        if (custom === SILENT) continue;
        if (custom !== undefined) conn.send(custom);
        else if (name === "PSUBSCRIBE" || name === "SUBSCRIBE") {
          for (const p of args.slice(1)) {
            conn.patterns.add(p);
            conn.send([name.toLowerCase(), p, conn.patterns.size]);
          }
        } else if (name === "PING") conn.send(conn.patterns.size > 0 ? ["pong", ""] : { simple: "PONG" });
        else if (name === "CLIENT" || name === "AUTH") conn.send({ simple: "OK" });
        else conn.send({ error: `ERR unknown command '${args[0] ?? ""}'` });
      }
    });
  });
  const port = await listen(server);
  return {
    port,
    connections,
    commands,
    publish(pattern, channel, message) {
      for (const c of connections) if (!c.socket.destroyed && c.patterns.has(pattern)) c.send(["pmessage", pattern, channel, message]);
    },
    async close() {
      for (const c of connections) c.socket.destroy();
      await close(server);
    },
  };
}

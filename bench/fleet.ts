/**
 * The simulated fleet for `npm run bench:poll`, run as its own process (forked by bench/poll.ts, IPC
 * channel required) so that answering the probes does not count towards the dashboard's CPU.
 *
 * - HTTP: a few ports on 127.0.0.1; a target is `GET /health/<id>` and answers 200 JSON.
 * - TCP: a few ports on 127.0.0.1; a target is a connection that sends `PING <id>\r\n` lines and
 *   gets `PONG\r\n` back (the collector holds one connection per target between polls).
 *
 * Every target answers after its own latency (setTimeout), or, if it is hung, accepts the connection
 * and reads the request but never answers. Targets are set per run with a `configure` message.
 */
import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";

export interface FleetTarget {
  latencyMs: number;
  hung: boolean;
}

export type FleetRequest =
  | { type: "listen"; httpPorts: number; tcpPorts: number }
  | { type: "configure"; targets: Record<string, FleetTarget> }
  | { type: "stats" };

export type FleetReply =
  | { type: "ready"; http: number[]; tcp: number[] }
  | { type: "configured"; targets: number }
  | {
      type: "stats";
      cpuMicros: number;
      at: number;
      answered: number;
      hungRequests: number;
      unknown: number;
      openSockets: number;
      /** Connections accepted so far: tells keep-alive reuse (HTTP) and held connections (TCP) from reconnects. */
      accepted: { http: number; tcp: number };
    };

let targets = new Map<string, FleetTarget>();
let answered = 0;
let hungRequests = 0;
let unknown = 0;
const sockets = new Set<net.Socket>();
const accepted = { http: 0, tcp: 0 };

function track(socket: net.Socket, kind: "http" | "tcp"): void {
  accepted[kind]++;
  sockets.add(socket);
  socket.on("close", () => sockets.delete(socket));
  // A probe that hits its deadline resets its connection: expected, not worth a crash.
  socket.on("error", () => {});
}

function send(reply: FleetReply): void {
  process.send?.(reply);
}

const HEALTH = /^\/health\/([^/?]+)/;

function httpServer(): http.Server {
  const server = http.createServer((req, res) => {
    const id = HEALTH.exec(req.url ?? "")?.[1];
    const t = id === undefined ? undefined : targets.get(id);
    if (!t) {
      unknown++;
      res.writeHead(404, { "content-type": "text/plain" }).end("no such target\n");
      return;
    }
    if (t.hung) {
      hungRequests++;
      return; // never answered; the client gives up at its deadline
    }
    setTimeout(() => {
      if (res.destroyed) return;
      answered++;
      res.writeHead(200, { "content-type": "application/json" }).end(`{"status":"ok","id":"${id}"}`);
    }, t.latencyMs);
  });
  server.keepAliveTimeout = 30_000;
  server.on("connection", (socket: net.Socket) => track(socket, "http"));
  return server;
}

function tcpServer(): net.Server {
  return net.createServer((socket) => {
    track(socket, "tcp");
    socket.setNoDelay(true);
    socket.setEncoding("utf8");
    let buffer = "";
    socket.on("data", (chunk: string) => {
      buffer += chunk;
      if (buffer.length > 4096) return socket.destroy();
      for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n")) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        const m = /^PING (\S+)$/.exec(line);
        const t = m ? targets.get(m[1]!) : undefined;
        if (!t) {
          unknown++;
          socket.write("ERR unknown target\r\n");
          continue;
        }
        if (t.hung) {
          hungRequests++;
          continue;
        }
        setTimeout(() => {
          if (socket.destroyed || !socket.writable) return;
          answered++;
          socket.write("PONG\r\n");
        }, t.latencyMs);
      }
    });
  });
}

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host: "127.0.0.1", port: 0, backlog: 4096 }, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

process.on("message", (msg: FleetRequest) => {
  void (async () => {
    if (msg.type === "listen") {
      const httpPorts = await Promise.all(Array.from({ length: msg.httpPorts }, () => listen(httpServer())));
      const tcpPorts = await Promise.all(Array.from({ length: msg.tcpPorts }, () => listen(tcpServer())));
      send({ type: "ready", http: httpPorts, tcp: tcpPorts });
    } else if (msg.type === "configure") {
      targets = new Map(Object.entries(msg.targets));
      // Connections of the previous run (hung requests included) are of no further use.
      for (const s of sockets) s.destroy();
      answered = hungRequests = unknown = accepted.http = accepted.tcp = 0;
      send({ type: "configured", targets: targets.size });
    } else if (msg.type === "stats") {
      const cpu = process.cpuUsage();
      send({ type: "stats", cpuMicros: cpu.user + cpu.system, at: performance.now(), answered, hungRequests, unknown, openSockets: sockets.size, accepted: { ...accepted } });
    }
  })();
});

// The bench went away (finished or crashed): so does the fleet.
process.on("disconnect", () => process.exit(0));
if (!process.send) {
  console.error("bench/fleet.ts is started by bench/poll.ts (it needs an IPC channel)");
  process.exit(2);
}

#!/usr/bin/env node
/**
 * The dashboard's production server: Next's request handler behind a plain Node HTTP server that
 * tells the app who is really on the other end of the TCP connection. Next itself only sets
 * X-Forwarded-For when a request lacks one, so route handlers could otherwise only see what the
 * client chose to send. Every request gets the socket's address in x-hacr-peer, after any copy the
 * client sent is removed; server/auth/client-address.ts believes forwarded headers only when that
 * peer is a configured trusted proxy.
 *
 *   node scripts/serve.mjs [-p 3000] [-H 127.0.0.1]    (npm start; after `next build`; without -H every interface, as `next start`)
 */
import { createServer } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const PEER_HEADER = "x-hacr-peer";

const { values } = parseArgs({
  options: {
    port: { type: "string", short: "p" },
    hostname: { type: "string", short: "H" },
  },
});
const port = Number(values.port ?? process.env.PORT ?? 3000);
const hostname = values.hostname;
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(`serve: -p ${values.port}: expected a port number 1-65535`);
  process.exit(2);
}

process.env.NODE_ENV ??= "production";
// The app reads this mark (in this same process) to know that x-hacr-peer was written here, not by a client.
globalThis[Symbol.for("hacr.peerHeader")] = true;

const { default: next } = await import("next");
const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const app = next({ dev: false, dir, hostname: hostname ?? "localhost", port });
await app.prepare();
const handle = app.getRequestHandler();

const server = createServer((req, res) => {
  delete req.headers[PEER_HEADER];
  const raw = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    if (req.rawHeaders[i].toLowerCase() !== PEER_HEADER) raw.push(req.rawHeaders[i], req.rawHeaders[i + 1]);
  }
  req.rawHeaders.splice(0, req.rawHeaders.length, ...raw);
  const peer = req.socket.remoteAddress;
  if (peer) req.headers[PEER_HEADER] = peer;
  void handle(req, res);
});
server.listen(port, hostname, () => {
  const host = hostname ?? "localhost";
  console.log(`▲ HA Control Room on http://${host.includes(":") ? `[${host}]` : host}:${port}`);
});

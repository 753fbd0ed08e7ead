/**
 * A slow network path on demand: a TCP proxy in front of one lab target,
 *   node --import tsx e2e/lab/services/latency-proxy.ts
 * Listens on LATENCY_PROXY.port and forwards to LATENCY_PROXY.target on 127.0.0.1. Every chunk the client
 * sends reaches the target the number of milliseconds in LATENCY_PROXY.controlFile later (read for each
 * chunk, so a change applies to the next request, also on a kept-alive connection); answers are not delayed.
 */
import { readFileSync } from "node:fs";
import { createServer, connect, type Socket } from "node:net";
import { HOST, LATENCY_PROXY } from "../topology";

function latencyMs(): number {
  try {
    const ms = Number(readFileSync(LATENCY_PROXY.controlFile, "utf8").trim());
    return Number.isFinite(ms) && ms > 0 ? ms : 0;
  } catch {
    return 0;
  }
}

/** Chunks keep their order: each is released no earlier than the one before it. */
function delayed(from: Socket, to: Socket): void {
  let last = 0;
  const later = (fn: () => void) => {
    const at = Math.max(Date.now() + latencyMs(), last);
    last = at;
    const wait = at - Date.now();
    if (wait <= 0) fn();
    else setTimeout(fn, wait);
  };
  from.on("data", (chunk) => later(() => to.destroyed || to.write(chunk)));
  from.on("end", () => later(() => to.end()));
}

createServer((client) => {
  const upstream = connect({ host: HOST, port: LATENCY_PROXY.target });
  const close = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on("error", close);
  upstream.on("error", close);
  client.on("close", () => upstream.destroy());
  upstream.on("close", () => client.end());
  delayed(client, upstream);
  upstream.pipe(client);
}).listen(LATENCY_PROXY.port, HOST, () => console.log(`latency proxy ${HOST}:${LATENCY_PROXY.port} -> ${LATENCY_PROXY.target}, pid ${process.pid}`));

const shutdown = () => process.exit(0);
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);

import http from "node:http";
import type { AddressInfo } from "node:net";
import type { ComponentHealth } from "@/lib/health";
import type { Snapshot, UnitSnapshot } from "@/lib/snapshot";

/**
 * A stand-in for `overview.live` for the wall benchmark (bench/wall.ts): the lab has 8 components, a
 * large trading floor has hundreds. Serves tRPC's SSE format (superjson without special types) with
 * `size` components, every one of which changes every second.
 */
export async function startFleetFeed(base: Snapshot, size: number, everyMs = 1000): Promise<{ url: string; ticks: () => number; close: () => Promise<void> }> {
  let tick = 0;
  let version = base.version + 1_000_000;
  const clients = new Set<http.ServerResponse>();

  const snapshot = (): Snapshot => {
    const now = Date.now();
    const components: ComponentHealth[] = [];
    const units: UnitSnapshot[] = [...base.units];
    for (let i = 0; i < size; i++) {
      const id = `svc-${String(i).padStart(3, "0")}`;
      const bad = (i + tick) % 2 === 0;
      const suspect = (i + tick) % 3 === 0 ? { status: "DOWN" as const, count: 1 + (tick % 3), needed: 3, reason: `probe ${tick} timed out` } : null;
      components.push({
        id,
        name: `Service ${i}`,
        layer: "application",
        sla: 99.99,
        status: bad ? "DEGRADED" : "UP",
        suspect,
        since: now - ((i * 997) % 600) * 1000,
        reasons: bad ? [`svc ${i}: latency ${100 + tick} ms over 100 ms`] : [],
        unitKeys: [`http:${id}`],
      });
      units.push({
        key: `http:${id}`,
        kind: "http",
        targetId: id,
        component: id,
        label: `Service ${i} /health`,
        status: bad ? "DEGRADED" : "UP",
        raw: bad ? "DEGRADED" : "UP",
        suspect,
        since: now - ((i * 997) % 600) * 1000,
        reason: bad ? `latency ${100 + tick} ms` : "HTTP 200",
        latencyMs: 1 + (tick % 10),
        lastProbeAt: now,
        data: { statusCode: 200, body: null, attempts: 1 },
      });
    }
    version += 1;
    return {
      ...base,
      version,
      at: now,
      overall: { status: "DEGRADED", reasons: [`${Math.ceil(size / 2)} services DEGRADED (tick ${tick})`] },
      components,
      units,
    };
  };

  const send = (res: http.ServerResponse, s: Snapshot) => res.write(`data: ${JSON.stringify({ json: s })}\n\n`);

  const server = http.createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache, no-transform", connection: "keep-alive" });
    res.write("event: connected\ndata: {}\n\n");
    send(res, snapshot());
    clients.add(res);
    req.on("close", () => clients.delete(res));
  });
  const timer = setInterval(() => {
    tick += 1;
    const s = snapshot();
    for (const c of clients) send(c, s);
  }, everyMs);

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/live`,
    ticks: () => tick,
    close: async () => {
      clearInterval(timer);
      for (const c of clients) c.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

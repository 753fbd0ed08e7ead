import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "@/server/config/load";
import { Runtime } from "@/server/runtime/runtime";
import { close, listen } from "@/server/testing/listen";
import { createInnerTRPCContext } from "@/server/trpc/init";
import { testUser } from "@/server/testing/actors";
import { createCaller } from "@/server/trpc/root";
import type { Snapshot } from "@/lib/snapshot";

/** The live feed through the real router: a runtime polling local servers, read via createCaller. */

const PASSWORD = "Shh-this-is-the-haproxy-pw";
let dir: string;
let server: http.Server;
let healthy = true;
let runtime: Runtime;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "overview-router-"));
  server = http.createServer((req, res) => {
    if (req.url === "/health") return res.writeHead(healthy ? 200 : 503).end(healthy ? "ok" : "down");
    // A stats page that echoes its credential back: the password must still never reach a client.
    if (req.url === "/stats;csv") return res.writeHead(200).end(`# pxname,svname,status,type,check_desc\nbe,s1,UP,2,${PASSWORD}\nbe,BACKEND,UP,1,\n`);
    res.writeHead(404).end();
  });
  const port = await listen(server);
  writeFileSync(path.join(dir, "pw"), PASSWORD);
  writeFileSync(
    path.join(dir, "ha.config.yaml"),
    `version: 1
defaults: { intervalMs: 200, timeoutMs: 150, rise: 2, fall: 3 }
http:
  - { id: app1, component: order-management, url: "http://127.0.0.1:${port}/health" }
haproxy:
  - { id: lb, component: load-balancer, statsUrl: "http://127.0.0.1:${port}/stats;csv", username: admin, password: { file: pw } }
`,
  );
  runtime = new Runtime({ config: loadConfig(path.join(dir, "ha.config.yaml")), sink: null });
  await runtime.start();
});

afterAll(async () => {
  await runtime.stop();
  await close(server);
  rmSync(dir, { recursive: true, force: true });
});

const caller = (signal?: AbortSignal) => createCaller(createInnerTRPCContext({ actor: testUser("viewer"), getRuntime: () => runtime }), { signal });

describe("overview router", () => {
  it("get returns every unit with its status, and no secret anywhere", async () => {
    let s: Snapshot | undefined;
    for (let i = 0; i < 50 && !s?.units.every((u) => u.status === "UP"); i++) {
      await new Promise((r) => setTimeout(r, 50));
      s = await caller().overview.get();
    }
    expect(s!.units.map((u) => [u.key, u.status])).toEqual([
      ["haproxy:lb", "UP"],
      ["http:app1", "UP"],
    ]);
    expect(JSON.stringify(s)).not.toContain(PASSWORD);
  });

  it("live pushes a change within a second of the probe that found it, showing suspicion first", async () => {
    const ac = new AbortController();
    const iter = (await caller(ac.signal).overview.live()) as AsyncIterable<Snapshot>;
    healthy = false;
    const flippedAt = Date.now();
    let delay = Infinity;
    let first: Snapshot["units"][number] | undefined;
    try {
      for await (const s of iter) {
        const u = s.units.find((x) => x.key === "http:app1")!;
        if (u.raw === "DOWN" && u.lastProbeAt! >= flippedAt) {
          delay = Date.now() - u.lastProbeAt!;
          first = u;
          break;
        }
      }
    } finally {
      ac.abort();
      healthy = true;
    }
    // Not a speed benchmark: a generous bound that only a broken push path would miss.
    expect(delay).toBeLessThan(1000);
    expect(first!.status).toBe("UP"); // confirmed status holds (fall 3)…
    expect(first!.suspect).toMatchObject({ status: "DOWN", count: 1, needed: 3 }); // …but the fault shows at once
  });
});

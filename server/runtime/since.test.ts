import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "@/server/config/load";
import { close, listen } from "@/server/testing/listen";
import type { TransitionStatus } from "@/server/store/schema";
import { Runtime, type RuntimeSink, type TransitionRecord } from "./runtime";

/**
 * A component's `since` across a dashboard restart: the runtime seeds it from the store's last
 * `component:<id>` transition, so a running incident keeps its duration; a status that changed while
 * the dashboard was away starts anew.
 */

let dir: string;
let server: http.Server;
let port: number;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "runtime-since-"));
  server = http.createServer((req, res) => void res.writeHead(req.url === "/health" ? 200 : 503).end("x"));
  port = await listen(server);
  writeFileSync(
    path.join(dir, "ha.config.yaml"),
    `version: 1
defaults: { intervalMs: 200, timeoutMs: 150, rise: 2, fall: 3 }
http:
  - { id: oms, component: order-management, url: "http://127.0.0.1:${port}/down" }
  - { id: risk, component: risk-engine, url: "http://127.0.0.1:${port}/health" }
`,
  );
});

afterAll(async () => {
  await close(server);
  rmSync(dir, { recursive: true, force: true });
});

function sinkWith(latest: Map<string, { status: TransitionStatus; at: number }>, recorded: TransitionRecord[] = []): RuntimeSink {
  return {
    recordTransitions: async (rows) => void recorded.push(...rows),
    recordSamples: async () => {},
    recordEvents: async () => {},
    heartbeat: async () => {},
    latestStatuses: async () => latest,
    maintain: async () => {},
  };
}

describe("component since after a restart", () => {
  it("keeps the stored start of a status that still holds, and restarts the clock for one that changed", async () => {
    const hourAgo = Date.now() - 3_600_000;
    const startedAt = Date.now();
    const runtime = new Runtime({
      config: loadConfig(path.join(dir, "ha.config.yaml")),
      sink: sinkWith(
        new Map([
          ["component:order-management", { status: "DOWN", at: hourAgo }],
          ["component:risk-engine", { status: "DOWN", at: hourAgo }],
        ]),
      ),
    });
    await runtime.start();
    try {
      let s = runtime.current();
      for (let i = 0; i < 50 && !(s.components.length && s.units.every((u) => u.status !== "NO_DATA")); i++) {
        await new Promise((r) => setTimeout(r, 50));
        s = runtime.current();
      }
      const oms = s.components.find((c) => c.id === "order-management")!;
      const risk = s.components.find((c) => c.id === "risk-engine")!;
      expect(oms).toMatchObject({ status: "DOWN", since: hourAgo });
      expect(risk.status).toBe("UP");
      expect(risk.since).toBeGreaterThanOrEqual(startedAt);
    } finally {
      await runtime.stop();
    }
  });
});

describe("recorded transitions", () => {
  it("date a confirmed fault from its first failing probe, yet stay in order per subject and inside the run", async () => {
    const recorded: TransitionRecord[] = [];
    // Stored before this run: the clamp must keep the backdated DOWN after it.
    const storedAt = Date.now() + 100;
    const runtime = new Runtime({ config: loadConfig(path.join(dir, "ha.config.yaml")), sink: sinkWith(new Map([["http:oms", { status: "UP", at: storedAt }]]), recorded) });
    const startedAt = runtime.startedAt;
    await runtime.start();
    try {
      const downRow = () => recorded.find((r) => r.subject === "component:order-management" && r.toStatus === "DOWN");
      for (let i = 0; i < 60 && !downRow(); i++) await new Promise((r) => setTimeout(r, 50));
      const confirmedBy = Date.now();
      const row = downRow()!;
      expect(row).toBeDefined();
      // fall 3 at 200 ms: confirmed about 400 ms after the first failing probe, which dates it.
      expect(row.at).toBeLessThan(confirmedBy - 300);
      const unit = recorded.filter((r) => r.subject === "http:oms");
      expect(unit.map((r) => r.toStatus)).toEqual(["NO_DATA", "DOWN"]);
      expect(unit[0]!.at).toBeGreaterThanOrEqual(storedAt);
      const bySubject = new Map<string, number>();
      for (const r of recorded) {
        expect(r.at).toBeGreaterThanOrEqual(Math.max(startedAt, bySubject.get(r.subject) ?? -Infinity));
        bySubject.set(r.subject, r.at);
      }
    } finally {
      await runtime.stop();
    }
  });
});

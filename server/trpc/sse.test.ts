import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { describe, expect, it } from "vitest";
import { loadConfig } from "@/server/config/load";
import { Runtime } from "@/server/runtime/runtime";
import { testUser } from "@/server/testing/actors";
import { createInnerTRPCContext } from "./init";
import { appRouter } from "./root";
import { SSE_PING_MS, SSE_RECONNECT_AFTER_INACTIVITY_MS } from "./stream";

/**
 * The live feed's keep-alive, through the same fetch handler the route uses: a stream with nothing new to
 * say still carries pings, and its first message tells the client to reopen it after a silence.
 */

function silentRuntime(): { runtime: Runtime; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), "sse-keepalive-"));
  writeFileSync(path.join(dir, "ha.config.yaml"), "version: 1\n");
  // Never started: it has a snapshot but publishes no new one, like a poller that has stalled.
  const runtime = new Runtime({ config: loadConfig(path.join(dir, "ha.config.yaml")), sink: null });
  return { runtime, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

async function readEvents(body: ReadableStream<Uint8Array>, untilMs: number): Promise<{ event: string; data: string; at: number }[]> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const events: { event: string; data: string; at: number }[] = [];
  const t0 = Date.now();
  let buffer = "";
  const deadline = setTimeout(() => void reader.cancel(), untilMs);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const field = (name: string) => block.split("\n").find((l) => l.startsWith(`${name}:`))?.slice(name.length + 1).trim() ?? "";
        events.push({ event: field("event") || "message", data: field("data"), at: Date.now() - t0 });
      }
    }
  } finally {
    clearTimeout(deadline);
  }
  return events;
}

describe("overview.live over SSE", () => {
  it("pings a silent stream and tells the client to reconnect after inactivity", async () => {
    expect(SSE_PING_MS).toBeLessThan(SSE_RECONNECT_AFTER_INACTIVITY_MS);
    const { runtime, cleanup } = silentRuntime();
    const ac = new AbortController();
    try {
      const req = new Request("http://127.0.0.1/api/trpc/overview.live", { signal: ac.signal });
      const res = await fetchRequestHandler({
        endpoint: "/api/trpc",
        req,
        router: appRouter,
        createContext: () => createInnerTRPCContext({ actor: testUser("viewer"), headers: req.headers, getRuntime: () => runtime }),
      });
      expect(res.headers.get("content-type")).toContain("text/event-stream");
      const events = await readEvents(res.body!, SSE_PING_MS + 1000);
      ac.abort();

      const connected = events.find((e) => e.event === "connected");
      expect(JSON.parse(connected!.data)).toMatchObject({ reconnectAfterInactivityMs: SSE_RECONNECT_AFTER_INACTIVITY_MS });
      // The current snapshot at once, then nothing new: only pings keep the connection visibly alive.
      expect(events.filter((e) => e.event === "message")).toHaveLength(1);
      const pings = events.filter((e) => e.event === "ping");
      expect(pings.length).toBeGreaterThanOrEqual(1);
      // Generous: only a missing ping (or one at the reconnect limit) fails this.
      expect(pings[0]!.at).toBeLessThan(SSE_RECONNECT_AFTER_INACTIVITY_MS);
    } finally {
      ac.abort();
      cleanup();
    }
  }, 15_000);
});

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alertFingerprint, type AlertEvent } from "@/lib/alerts";
import { loadConfig } from "@/server/config/load";
import { close, listen } from "@/server/testing/listen";
import { activeAlerts, alertEventsAfter, enqueueAlertEvents, lastAlertEventId } from "@/server/store/alerts";
import { openStore, storeDb, type Store } from "@/server/store/store";
import { Runtime } from "./runtime";
import { storeSink } from "./sink";

/**
 * The runtime's store sink on a real (in-memory PGlite) store: a transition and the alert events it
 * causes commit together or not at all, and a restarted runtime neither repeats nor forgets alerts.
 */

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
const labels = { alertname: "ComponentDown", severity: "critical" as const, component: "order-management" };
const down: AlertEvent = {
  labels,
  annotations: { summary: "Order Management is DOWN", description: "oms: HTTP 503" },
  path: "/",
  source: "status",
  startsAt: NOW - 400,
  fingerprint: alertFingerprint(labels),
  status: "firing",
  at: NOW,
  endsAt: null,
};
const row = { at: NOW - 400, subject: "component:order-management", fromStatus: "UP" as const, toStatus: "DOWN" as const, reason: "oms: HTTP 503", confirmedAt: NOW };

let store: Store;
beforeAll(async () => {
  store = await openStore({ memory: true });
}, 60_000);
afterAll(async () => {
  await store.close();
});

const transitionsOf = async (subject: string) => (await store.transitions({ subject, since: 0, until: NOW + 1, limit: 100 })).map((t) => t.toStatus);

describe("storeSink", () => {
  it("writes a transition and its alert event together", async () => {
    const before = await lastAlertEventId(store);
    await storeSink(store).recordTransitions([row], "run-1", [down]);
    expect(await transitionsOf(row.subject)).toEqual(["DOWN"]);
    expect((await alertEventsAfter(store, before)).map((e) => e.fingerprint)).toEqual([down.fingerprint]);
    expect((await activeAlerts(store)).map((a) => a.fingerprint)).toContain(down.fingerprint);
  });

  it("rolls the transition back when its alert event cannot be written", async () => {
    const subject = "component:risk-engine";
    const before = await lastAlertEventId(store);
    await storeDb(store).execute("alter table alert_events add constraint no_more check (false) not valid");
    try {
      await expect(storeSink(store).recordTransitions([{ ...row, subject }], "run-1", [{ ...down, labels: { ...labels, component: "risk-engine" }, fingerprint: alertFingerprint({ ...labels, component: "risk-engine" }) }])).rejects.toThrow();
    } finally {
      await storeDb(store).execute("alter table alert_events drop constraint no_more");
    }
    expect(await transitionsOf(subject)).toEqual([]);
    expect(await alertEventsAfter(store, before)).toEqual([]);
  });

  it("writes alert events with no transition on their own", async () => {
    const before = await lastAlertEventId(store);
    await storeSink(store).recordTransitions([], "run-1", [{ ...down, status: "resolved", at: NOW + 1, endsAt: NOW + 1 }]);
    expect((await alertEventsAfter(store, before)).map((e) => e.status)).toEqual(["resolved"]);
    expect((await activeAlerts(store)).map((a) => a.fingerprint)).not.toContain(down.fingerprint);
  });
});

describe("runtime alerts across restarts", () => {
  let dir: string;
  let server: http.Server;
  let port: number;
  let db: Store;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "runtime-alerts-"));
    server = http.createServer((req, res) => void res.writeHead(req.url === "/health" ? 200 : 503).end("x"));
    port = await listen(server);
    db = await openStore({ memory: true });
  }, 60_000);
  afterAll(async () => {
    await db.close();
    await close(server);
    rmSync(dir, { recursive: true, force: true });
  });

  const config = (url: string) => {
    const file = path.join(dir, "ha.config.yaml");
    writeFileSync(
      file,
      `version: 1
defaults: { intervalMs: 200, timeoutMs: 150, rise: 2, fall: 3 }
http:
  - { id: oms, component: order-management, url: "http://127.0.0.1:${port}${url}" }
alerting:
  receivers: [{ name: am, type: alertmanager, url: "http://127.0.0.1:18093" }]
  route: { receiver: am }
`,
    );
    return loadConfig(file);
  };
  const events = async () => (await alertEventsAfter(db, 0, 10_000)).map((e) => `${e.labels.alertname}:${e.status}`);
  async function run(url: string, until: (evs: string[]) => boolean, settleMs = 0) {
    const runtime = new Runtime({ config: config(url), sink: storeSink(db), alertEveryMs: 100 });
    await runtime.start();
    try {
      for (let i = 0; i < 100 && !until(await events()); i++) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, settleMs));
    } finally {
      await runtime.stop();
    }
    return events();
  }

  it("fires once, survives a restart without a duplicate, and resolves after one", async () => {
    const first = await run("/down", (e) => e.includes("ComponentDown:firing"));
    expect(first).toEqual(["Watchdog:firing", "ComponentDown:firing"]);
    const [stored] = (await alertEventsAfter(db, 0)).filter((e) => e.labels.alertname === "ComponentDown");
    expect(stored!.labels).toEqual({ alertname: "ComponentDown", severity: "critical", component: "order-management", kind: "http" });
    expect(stored!.startsAt).toBeLessThan(stored!.at);
    // Still down after a restart: nothing new, through the warm-up and past the confirmation.
    expect(await run("/down", () => false, 1_500)).toEqual(first);
    // Up after the next restart: it resolves (and nothing else changes).
    expect(await run("/health", (e) => e.includes("ComponentDown:resolved"))).toEqual([...first, "ComponentDown:resolved"]);
  }, 30_000);

  it("after a failed write reads the store again, owes it the same alerts, and reports the store errors", async () => {
    const own = await openStore({ memory: true });
    try {
      const base = storeSink(own);
      let failed = 0;
      // The write that would fire ComponentDown fails, as a store that is briefly unreachable would.
      const flaky = { ...base, recordTransitions: async (...args: Parameters<typeof base.recordTransitions>) => {
        if (failed === 0 && args[2].some((e) => e.labels.alertname === "ComponentDown")) {
          failed++;
          throw new Error("connection terminated");
        }
        return base.recordTransitions(...args);
      } };
      const names = async () => (await alertEventsAfter(own, 0, 10_000)).map((e) => `${e.labels.alertname}:${e.status}`);
      const runtime = new Runtime({ config: config("/down"), sink: flaky, alertEveryMs: 100 });
      await runtime.start();
      try {
        for (let i = 0; i < 100 && !((await names()).includes("ComponentDown:firing") && (await names()).includes("DashboardStoreErrors:firing")); i++) await new Promise((r) => setTimeout(r, 50));
        await new Promise((r) => setTimeout(r, 500));
      } finally {
        await runtime.stop();
      }
      const evs = await names();
      expect(failed).toBe(1);
      expect(evs.filter((n) => n === "ComponentDown:firing")).toHaveLength(1);
      expect(evs).toContain("DashboardStoreErrors:firing");
      expect(evs.filter((n) => n.startsWith("Watchdog"))).toEqual(["Watchdog:firing"]);
    } finally {
      await own.close();
    }
  }, 30_000);

  it("resolves a one-shot alert once its expiry has passed, dated at its expiry", async () => {
    const now = Date.now();
    const l = { alertname: "ActionExecuted", severity: "info" as const, action_id: "1" };
    const fp = alertFingerprint(l);
    await enqueueAlertEvents(db, [
      { labels: l, annotations: { summary: "s", description: "d" }, path: "/actions/1", source: "action", startsAt: now - 700, expiresAt: now - 100, fingerprint: fp, status: "firing", at: now - 700, endsAt: null },
    ]);
    expect(await run("/health", (e) => e.at(-1) === "ActionExecuted:resolved")).toContain("ActionExecuted:resolved");
    const resolved = (await alertEventsAfter(db, 0, 10_000)).filter((e) => e.fingerprint === fp && e.status === "resolved");
    expect(resolved.map((e) => e.endsAt)).toEqual([now - 100]);
  }, 30_000);
});

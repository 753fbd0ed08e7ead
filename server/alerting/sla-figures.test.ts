import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { stringify } from "yaml";
import { parseConfig } from "@/server/config/load";
import { componentSubject, HOUR, MINUTE } from "@/server/sla";
import { slaAlertFigures } from "@/server/sla/service";
import { openStore, storeDb, type Store } from "@/server/store/store";
import { burnAlerts } from "./burn";

/** The burn and budget figures as the runtime reads them every minute, from a real (in-memory PGlite) store. */

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
const config = parseConfig(
  stringify({ version: 1, components: [{ id: "database", name: "Database", layer: "data", sla: 99.99 }] }),
  "/tmp/sla-figures-test.yaml",
  { NODE_ENV: "test" } as NodeJS.ProcessEnv,
);

let store: Store;
beforeAll(async () => {
  store = await openStore({ memory: true });
}, 60_000);
afterAll(async () => {
  await store.close();
});
beforeEach(async () => {
  await storeDb(store).execute(sql`truncate transitions, monitor_heartbeats restart identity`);
});

/** A dashboard run since `startedAt`, the database UP and then DOWN for the last `downMs`. */
async function history(startedAt: number, downMs: number) {
  await store.heartbeat("run-1", startedAt, NOW);
  await store.recordTransitions([
    { at: startedAt, subject: componentSubject("database"), fromStatus: "NO_DATA", toStatus: "UP", instanceId: "run-1" },
    { at: NOW - downMs, subject: componentSubject("database"), fromStatus: "UP", toStatus: "DOWN", reason: "no leader", instanceId: "run-1" },
  ]);
}
const names = async () => burnAlerts(await slaAlertFigures({ config, store }, NOW), 50, NOW).map((a) => `${a.labels.alertname}:${a.labels.window}`);

describe("slaAlertFigures", () => {
  it("gives each burn rule both windows' known time, and the month's budget", async () => {
    await history(NOW - 2 * HOUR, 10 * MINUTE);
    const f = await slaAlertFigures({ config, store }, NOW);
    const db = f.components.find((c) => c.id === "database")!;
    const fast = db.burn.find((a) => a.rule.name === "fast burn")!;
    expect(fast.long).toMatchObject({ windowMs: HOUR, knownMs: HOUR, downMs: 10 * MINUTE });
    expect(fast.short).toMatchObject({ windowMs: 5 * MINUTE, knownMs: 5 * MINUTE, downMs: 5 * MINUTE });
    expect(fast.firing).toBe(true);
    expect(db.month).toMatchObject({ usedMs: 10 * MINUTE });
    expect(db.month!.remainingMs).toBeLessThan(0);
    // Sustained burn fires too, but its 6 h window holds only the run's 2 h: a third, under the 50 % asked.
    const sustained = db.burn.find((a) => a.rule.name === "sustained burn")!;
    expect(sustained.firing).toBe(true);
    expect(sustained.long.knownMs).toBe(2 * HOUR);
    expect(await names()).toEqual(["SlaBurnRate:fast burn", "SlaBudgetExhausted:month"]);
  });

  it("a store ten minutes old pages only on what it knows: no burn alert whose long window is mostly unknown", async () => {
    await history(NOW - 10 * MINUTE, 4 * MINUTE);
    const fast = (await slaAlertFigures({ config, store }, NOW)).components[0]!.burn.find((a) => a.rule.name === "fast burn")!;
    expect(fast.firing).toBe(true);
    expect(fast.long.knownMs).toBe(10 * MINUTE);
    expect(await names()).toEqual([]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alertFingerprint, type AlertEvent } from "@/lib/alerts";
import { activeAlerts, alertEventsAfter, enqueueAlertEvents } from "./alerts";
import { openStore, type Store } from "./store";

/** The outbox takes epoch ms as the runtime computes them: a probe's start carries fractions of a millisecond. */

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
const labels = { alertname: "ComponentDegraded", severity: "warning" as const, component: "cache" };

let store: Store;
beforeAll(async () => {
  store = await openStore({ memory: true });
}, 60_000);
afterAll(async () => {
  await store.close();
});

describe("enqueueAlertEvents", () => {
  it("accepts times with fractions of a millisecond and stores them at the millisecond", async () => {
    const e: AlertEvent = {
      labels,
      annotations: { summary: "Cache is DEGRADED", description: "redis2: timeout after 800 ms" },
      path: "/redis",
      source: "status",
      startsAt: NOW - 2412.731,
      fingerprint: alertFingerprint(labels),
      status: "firing",
      at: NOW + 0.5,
      endsAt: null,
    };
    const [stored] = await enqueueAlertEvents(store, [e]);
    expect(stored).toMatchObject({ startsAt: NOW - 2413, at: NOW });
    expect((await alertEventsAfter(store, 0)).map((x) => [x.startsAt, x.at])).toEqual([[NOW - 2413, NOW]]);
    expect((await activeAlerts(store)).map((a) => a.startsAt)).toEqual([NOW - 2413]);
  });

  it("still refuses a negative time, naming the field", async () => {
    const e = { labels, annotations: { summary: "s", description: "d" }, path: "/", source: "status", startsAt: -1, fingerprint: alertFingerprint(labels), status: "firing", at: NOW, endsAt: null } as AlertEvent;
    await expect(enqueueAlertEvents(store, [e])).rejects.toThrow(/0\.startsAt/);
  });
});

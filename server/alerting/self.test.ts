import { describe, expect, it } from "vitest";
import { POLLER_BEHIND_CRITICAL_MS, selfAlerts, watchdogAlert, type SelfFacts } from "./self";

const T = 1_800_000_000_000;
const healthy: SelfFacts = { startedAt: T - 60_000, lastEvaluationAt: T - 100, lastResultAt: T - 200, staleAfterMs: 15_000, lateness: [0, 1, 2, 5], storeErrors: 0 };
const names = (f: SelfFacts) => selfAlerts(f, T).map((a) => `${a.labels.alertname}/${a.labels.severity}`);

describe("self alerts", () => {
  it("none while the dashboard evaluates, polls on time and writes", () => {
    expect(selfAlerts(healthy, T)).toEqual([]);
  });

  it("the feed is stale without an evaluation, or without a probe result, for longer than the limit", () => {
    expect(names({ ...healthy, lastEvaluationAt: T - 16_000 })).toEqual(["DashboardFeedStale/critical"]);
    expect(names({ ...healthy, lastResultAt: T - 16_000 })).toEqual(["DashboardFeedStale/critical"]);
    expect(names({ ...healthy, lastResultAt: T - 15_000 })).toEqual([]);
    const [a] = selfAlerts({ ...healthy, lastEvaluationAt: T - 20_000 }, T);
    expect(a).toMatchObject({ startsAt: T - 20_000, path: "/", source: "self", labels: { component: "dashboard" } });
    // Stable words: the same stall read later is the same alert text (no new notification).
    expect(selfAlerts({ ...healthy, lastEvaluationAt: T - 20_000 }, T + 5_000)[0]!.annotations).toEqual(a!.annotations);
  });

  it("counts a fresh start from its start, not from never", () => {
    expect(names({ ...healthy, startedAt: T - 1_000, lastEvaluationAt: null, lastResultAt: null })).toEqual([]);
    expect(names({ ...healthy, startedAt: T - 30_000, lastEvaluationAt: null, lastResultAt: null })).toEqual(["DashboardFeedStale/critical"]);
  });

  it("the poller is behind when the 95th percentile of start lateness passes 1 s (warning) or 5 s (critical)", () => {
    const late = (ms: number) => [...Array.from({ length: 90 }, () => 1), ...Array.from({ length: 10 }, () => ms)];
    expect(names({ ...healthy, lateness: late(1_500) })).toEqual(["DashboardPollerBehind/warning"]);
    expect(names({ ...healthy, lateness: late(POLLER_BEHIND_CRITICAL_MS + 1) })).toEqual(["DashboardPollerBehind/critical"]);
    // One late start in a hundred is not behind.
    expect(names({ ...healthy, lateness: [...Array.from({ length: 99 }, () => 1), 60_000] })).toEqual([]);
  });

  it("store errors in the last minute: warning, critical from five", () => {
    expect(names({ ...healthy, storeErrors: 1 })).toEqual(["DashboardStoreErrors/warning"]);
    expect(names({ ...healthy, storeErrors: 5 })).toEqual(["DashboardStoreErrors/critical"]);
  });
});

describe("Watchdog", () => {
  it("fires while no self alert is critical, and stops when one is", () => {
    expect(watchdogAlert([], T - 60_000)).toEqual({
      labels: { alertname: "Watchdog", severity: "info" },
      annotations: expect.objectContaining({ summary: "The dashboard is alive" }),
      path: "/alerts",
      source: "watchdog",
      startsAt: T - 60_000,
    });
    expect(watchdogAlert(selfAlerts({ ...healthy, storeErrors: 1 }, T), T)).not.toBeNull();
    expect(watchdogAlert(selfAlerts({ ...healthy, lastEvaluationAt: T - 60_000 }, T), T)).toBeNull();
  });
});

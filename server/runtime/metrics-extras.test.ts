import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alertFingerprint, type AlertEvent, type AlertLabels } from "@/lib/alerts";
import { countNotification } from "@/server/alerting/counters";
import { labConfig } from "@/server/health/test-factories";
import { openStore, type Store } from "@/server/store";
import { enqueueAlertEvents } from "@/server/store/alerts";
import { gatherMetricsExtras } from "./metrics-extras";

const NOW = 1_800_000_000_000;
const config = labConfig({
  alerting: {
    receivers: [
      { name: "am", type: "alertmanager", url: "http://127.0.0.1:18093" },
      { name: "hook", type: "webhook", url: "http://127.0.0.1:18095/hook" },
    ],
    route: { receiver: "am" },
  },
});

function event(labels: AlertLabels, status: "firing" | "resolved", o: { expiresAt?: number } = {}): AlertEvent {
  return {
    fingerprint: alertFingerprint(labels),
    status,
    at: NOW - 1000,
    labels,
    annotations: { summary: labels.alertname, description: "test" },
    path: "/",
    source: "status",
    startsAt: NOW - 60_000,
    endsAt: status === "resolved" ? NOW - 1000 : null,
    expiresAt: o.expiresAt ?? null,
  };
}

let store: Store;
beforeAll(async () => {
  store = await openStore({ memory: true });
  await enqueueAlertEvents(store, [
    event({ alertname: "ComponentDown", severity: "critical", component: "database" }, "firing"),
    event({ alertname: "Finding", severity: "critical", kind: "split-brain" }, "firing"),
    event({ alertname: "ComponentDegraded", severity: "warning", component: "cache" }, "firing"),
    event({ alertname: "ComponentDown", severity: "critical", component: "cache" }, "firing"),
    event({ alertname: "ComponentDown", severity: "critical", component: "cache" }, "resolved"),
    // A one-shot action alert past its expiry: over, even before the sweep resolves it.
    event({ alertname: "ActionExecuted", severity: "info", action_id: "7" }, "firing", { expiresAt: NOW - 1 }),
    event({ alertname: "Watchdog", severity: "info" }, "firing"),
  ]);
});
afterAll(async () => {
  await store?.close();
});

describe("gatherMetricsExtras (PGlite control store)", () => {
  it("counts the alerts firing now by severity, reads the SLA budgets and lists every receiver's counters", async () => {
    countNotification("hook", "dead");
    const x = await gatherMetricsExtras({ config, getStore: async () => store, now: NOW });
    expect(x.omitted).toEqual([]);
    expect(x.alerts!.map((a) => a.severity).sort()).toEqual(["critical", "critical", "info", "warning"]);
    const windows = new Set(x.budgets!.map((b) => b.window));
    expect([...windows].sort()).toEqual(["month", "quarter", "rolling30", "year"]);
    expect(new Set(x.budgets!.map((b) => b.component))).toEqual(new Set(["system", ...config.components.map((c) => c.id)]));
    // database 99.99 % over a 30-day rolling window: 259.2 s.
    expect(x.budgets!.find((b) => b.component === "database" && b.window === "rolling30")!.allowedMs).toBeCloseTo(259_200, -1);
    expect(x.notifications!.filter((n) => n.receiver === "am").map((n) => n.result)).toEqual(["delivered", "retried", "dead", "silenced"]);
    expect(x.notifications!.find((n) => n.receiver === "hook" && n.result === "dead")!.count).toBeGreaterThanOrEqual(1);
  });

  it("a store that does not answer drops its parts from the scrape after the deadline, saying why", async () => {
    const x = await gatherMetricsExtras({ config: labConfig(), getStore: () => new Promise<Store>(() => {}), now: NOW, deadlineMs: 50 });
    expect(x.alerts).toBeUndefined();
    expect(x.budgets).toBeUndefined();
    // Counted in this process, not read from the store: kept.
    expect(x.notifications).toBeDefined();
    expect(x.omitted).toEqual([
      "ha_alerts_firing: the control store did not answer within 50 ms",
      "ha_sla_budget_remaining_seconds and ha_sla_budget_allowed_seconds: the control store did not answer within 50 ms",
    ]);
  });

  it("a failing store is named in general terms; its message (which can hold a DSN) goes to the log only", async () => {
    const logged: string[] = [];
    const x = await gatherMetricsExtras({
      config: labConfig({ title: "other" }),
      getStore: () => Promise.reject(new Error("connect postgres://hacr:s3cret@10.0.0.9/hacr refused")),
      now: NOW,
      log: (l) => logged.push(l),
    });
    expect(x.omitted!.join("\n")).not.toContain("s3cret");
    expect(x.omitted![0]).toBe("ha_alerts_firing: the control store failed; see the server log");
    expect(logged.join("\n")).toContain("refused");
  });
});

import { describe, expect, it } from "vitest";
import { alertFingerprint } from "@/lib/alerts";
import { findingAlerts, findingKind } from "./findings";
import { component, finding, T0, unit, verdict } from "./test-verdict";

const units = [unit("vrrp:vi-trading", "DEGRADED", { component: "load-balancer" }), unit("vrrp:vi-db", "UP", { component: "load-balancer" }), unit("postgres:labcluster/pg1", "UP"), unit("postgres:labcluster/pg2", "UP")];

describe("finding alerts", () => {
  it("raise every finding, warning or critical, with its kind, id, title and explanation", () => {
    const v = verdict([component("load-balancer", "DOWN", [])], units, [
      finding("split-brain:vi-trading", "CRITICAL", ["vrrp:vi-trading"], { since: T0 - 2_000 }),
      finding("multiple-primaries:labcluster", "WARNING", ["postgres:labcluster/pg1", "postgres:labcluster/pg2"]),
    ]);
    expect(findingAlerts(v)).toEqual([
      {
        labels: { alertname: "Finding", severity: "critical", kind: "split-brain", finding: "split-brain:vi-trading", component: "load-balancer" },
        annotations: { summary: "split-brain:vi-trading seen", description: "why split-brain:vi-trading is dangerous" },
        path: "/vrrp",
        source: "finding",
        startsAt: T0 - 2_000,
      },
      {
        labels: { alertname: "Finding", severity: "warning", kind: "multiple-primaries", finding: "multiple-primaries:labcluster", component: "database", cluster: "labcluster" },
        annotations: { summary: "multiple-primaries:labcluster seen", description: "why multiple-primaries:labcluster is dangerous" },
        path: "/clusters/labcluster",
        source: "finding",
        startsAt: T0,
      },
    ]);
  });

  it("keeps two findings of one kind apart", () => {
    const v = verdict([], units, [finding("split-brain:vi-trading", "CRITICAL", ["vrrp:vi-trading"]), finding("split-brain:vi-db", "CRITICAL", ["vrrp:vi-db"])]);
    const [a, b] = findingAlerts(v);
    expect(alertFingerprint(a!.labels)).not.toBe(alertFingerprint(b!.labels));
  });

  it("takes the kind from the id up to its first colon", () => {
    expect(findingKind("orphan-primary:labcluster/pg2")).toBe("orphan-primary");
    expect(findingKind("odd")).toBe("odd");
  });

  it("still raises a finding whose units are not in the verdict, on the wall's page", () => {
    const [a] = findingAlerts(verdict([], [], [finding("redis-masters:cache", "CRITICAL", ["redis:gone"])]));
    expect(a!.path).toBe("/");
    expect(a!.labels).toEqual({ alertname: "Finding", severity: "critical", kind: "redis-masters", finding: "redis-masters:cache" });
  });
});

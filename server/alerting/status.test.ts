import { describe, expect, it } from "vitest";
import { alertFingerprint } from "@/lib/alerts";
import { statusAlerts } from "./status";
import { component, T0, unit, verdict } from "./test-verdict";

const units = [
  unit("patroni:labcluster", "UP"),
  unit("postgres:labcluster/pg1", "UP"),
  unit("postgres:labcluster/pg2", "DOWN", { reason: "connection refused" }),
  unit("postgres:labcluster/pg3", "UP"),
];
const db = (status: Parameters<typeof component>[1], o: Parameters<typeof component>[3] = {}) =>
  component("database", status, units.map((u) => u.key), { reasons: status === "UP" ? [] : ["pg2: connection refused", "standby lost"], since: T0 - 5_000, ...o });

describe("status alerts", () => {
  it("raise nothing for an UP component, even one suspected of going down", () => {
    const suspect = { status: "DOWN" as const, count: 1, needed: 3, reason: "connection refused" };
    expect(statusAlerts(verdict([db("UP", { suspect })], units))).toEqual([]);
  });

  it.each([
    ["DOWN", "ComponentDown", "critical"],
    ["DEGRADED", "ComponentDegraded", "warning"],
    ["STALE", "ComponentStale", "warning"],
    ["NO_DATA", "ComponentNoData", "warning"],
  ] as const)("%s is %s (%s), with the wall's reasons, the backdated start and the cluster's page", (status, alertname, severity) => {
    const [a] = statusAlerts(verdict([db(status)], units));
    expect(a).toEqual({
      labels: { alertname, severity, component: "database", kind: "postgres", cluster: "labcluster", node: "pg2" },
      annotations: { summary: `Database is ${status}`, description: "pg2: connection refused; standby lost" },
      path: "/clusters/labcluster",
      source: "status",
      startsAt: T0 - 5_000,
    });
  });

  it("raise nothing for a component the config does not monitor (no units)", () => {
    expect(statusAlerts(verdict([component("network", "NO_DATA", [], { reasons: ["nothing in the config monitors this component"] })], units))).toEqual([]);
  });

  it("leaves out labels the failing units disagree on", () => {
    const two = units.map((u) => (u.key.endsWith("pg3") ? { ...u, status: "DOWN" as const } : u));
    const [a] = statusAlerts(verdict([db("DEGRADED")], two));
    expect(a!.labels).toEqual({ alertname: "ComponentDegraded", severity: "warning", component: "database", kind: "postgres", cluster: "labcluster" });
  });

  it("keeps the labels an active alert fired with while the component stays in that status", () => {
    const [first] = statusAlerts(verdict([db("DEGRADED")], units));
    const two = units.map((u) => (u.key.endsWith("pg3") ? { ...u, status: "DOWN" as const } : u));
    const [again] = statusAlerts(verdict([db("DEGRADED", { reasons: ["pg2 and pg3 down"] })], two), [first!]);
    expect(alertFingerprint(again!.labels)).toBe(alertFingerprint(first!.labels));
    expect(again!.annotations.description).toBe("pg2 and pg3 down");
    // Another status is another alert, with its own labels.
    const [down] = statusAlerts(verdict([db("DOWN")], two), [first!]);
    expect(down!.labels).not.toHaveProperty("node");
  });

  it("sends Redis, HAProxy and VRRP faults to their pages, and other components to the wall", () => {
    const us = [unit("redis:redis1", "DOWN"), unit("haproxy:haproxy", "DOWN"), unit("vrrp:vi-trading", "DOWN"), unit("http:te1-health", "DOWN")];
    const cs = us.map((u, i) => component(`c${i}`, "DOWN", [u.key]));
    expect(statusAlerts(verdict(cs, us)).map((a) => a.path)).toEqual(["/redis", "/haproxy", "/vrrp", "/"]);
    expect(statusAlerts(verdict(cs, us))[0]!.labels).toEqual({ alertname: "ComponentDown", severity: "critical", component: "c0", kind: "redis" });
  });
});

import { describe, expect, it } from "vitest";
import { TopRoute } from "@/server/config/alerting";
import { groupKeyOf, groupLabelsOf, receiversOf, routeAlert } from "./route";

const route = TopRoute.parse({
  receiver: "default",
  groupWaitMs: 10_000,
  routes: [
    { receiver: "pager", match: { severity: "critical" }, continue: true, groupWaitMs: 0 },
    { receiver: "db-team", match: { component: ["db", "db-replica"] } },
    { receiver: "approvers", match: { alertname: "ActionAwaitingApproval" } },
    { receiver: "never", match: { component: "db" } },
  ],
});

const L = (labels: Record<string, string>) => ({ alertname: "ComponentDown", severity: "warning", ...labels });

describe("routing (Alertmanager's rules, one level deep)", () => {
  it("takes the first matching child and stops there", () => {
    expect(routeAlert(route, L({ component: "db" }), "status").map((m) => m.receiver)).toEqual(["db-team"]);
  });

  it("keeps going after a child that says continue", () => {
    expect(routeAlert(route, L({ severity: "critical", component: "db-replica" }), "status").map((m) => m.receiver)).toEqual(["pager", "db-team"]);
  });

  it("sends to the top receiver when no child matched, and not when a continue child matched alone", () => {
    expect(routeAlert(route, L({ component: "redis" }), "status").map((m) => m.receiver)).toEqual(["default"]);
    expect(routeAlert(route, L({ severity: "critical", component: "redis" }), "status").map((m) => m.receiver)).toEqual(["pager"]);
  });

  it("a list matches any of its values; a missing label matches nothing but the empty string", () => {
    expect(receiversOf(route, L({ component: "db-replica" }), "status")).toEqual(["db-team"]);
    expect(receiversOf(route, L({}), "status")).toEqual(["default"]);
  });

  it("routes an approval request to the approvers' route", () => {
    expect(receiversOf(route, { alertname: "ActionAwaitingApproval", severity: "warning", kind: "patroni_switchover" }, "action")).toEqual(["approvers"]);
  });

  it("child grouping overrides the top's, which overrides Alertmanager's defaults", () => {
    const [pager, db] = routeAlert(route, L({ severity: "critical", component: "db" }), "status");
    expect(pager!.grouping).toEqual({ groupBy: ["alertname", "cluster", "component"], groupWaitMs: 0, groupIntervalMs: 300_000, repeatIntervalMs: 14_400_000 });
    expect(db!.grouping.groupWaitMs).toBe(10_000);
  });

  it("a test notification goes only to the receiver it names, at once", () => {
    const m = routeAlert(route, { alertname: "TestNotification", severity: "info", receiver: "db-team" }, "test");
    expect(m).toHaveLength(1);
    expect(m[0]).toMatchObject({ receiver: "db-team", grouping: { groupWaitMs: 0 } });
    // Without the label it is routed like any alert.
    expect(receiversOf(route, { alertname: "TestNotification", severity: "info" }, "test")).toEqual(["default"]);
  });

  it("route keys are Alertmanager's and tell apart children with the same matchers", () => {
    expect(routeAlert(route, L({ component: "db" }), "status")[0]!.routeKey).toBe('{}/{component=~"^(?:db|db-replica)$"}');
    const twin = TopRoute.parse({ receiver: "a", routes: [{ receiver: "b", match: { x: "1" } }, { receiver: "c", match: { x: "1" } }] });
    expect(routeAlert(twin, { alertname: "A", severity: "info", x: "1" }, "status")[0]!.routeKey).toBe('{}/{x="1"}/0');
  });
});

describe("group labels and keys", () => {
  it("keeps only the groupBy labels the alert has, sorted", () => {
    expect(groupLabelsOf(["component", "alertname", "cluster"], L({ component: "db" }))).toEqual({ alertname: "ComponentDown", component: "db" });
    expect(groupLabelsOf(["..."], L({ component: "db" }))).toEqual(L({ component: "db" }));
    expect(groupKeyOf("{}", { component: "db", alertname: "X" })).toBe('{}:{alertname="X", component="db"}');
  });
});

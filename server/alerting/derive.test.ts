import { describe, expect, it } from "vitest";
import { alertFingerprint, type AlertSpec } from "@/lib/alerts";
import { applyAlertEvents, deriveAlerts, diffAlerts, expiredAlertEvents, type DeriveInput } from "./derive";
import { component, finding, T0, unit, verdict } from "./test-verdict";

const NOW = T0 + 60_000;
const spec = (alertname: string, o: Partial<AlertSpec> = {}): AlertSpec => ({
  labels: { alertname, severity: "warning", component: "database" },
  annotations: { summary: `${alertname} summary`, description: "why" },
  path: "/",
  source: "status",
  startsAt: T0,
  ...o,
});
const fp = (s: AlertSpec) => alertFingerprint(s.labels);
const activeOf = (...xs: AlertSpec[]) => new Map(xs.map((x) => [fp(x), x]));

describe("diffAlerts", () => {
  it("fires a new alert and resolves one no longer wanted at now; leaves an unchanged one alone", () => {
    const [a, b, c] = [spec("A"), spec("B"), spec("C")];
    const events = diffAlerts(activeOf(a!, b!), [b!, c!], NOW);
    expect(events).toEqual([
      { ...c, expiresAt: null, fingerprint: fp(c!), status: "firing", at: NOW, endsAt: null },
      { ...a, expiresAt: null, fingerprint: fp(a!), status: "resolved", at: NOW, endsAt: NOW },
    ]);
  });

  it("fires again, with its first start, an alert whose words or page changed", () => {
    const a = spec("A");
    const [e] = diffAlerts(activeOf(a), [{ ...a, annotations: { summary: "s", description: "new reason" }, startsAt: NOW }], NOW);
    expect(e).toMatchObject({ status: "firing", startsAt: T0, annotations: { description: "new reason" } });
    expect(diffAlerts(activeOf(a), [{ ...a, path: "/redis" }], NOW)).toHaveLength(1);
  });

  it("counts an alert wanted twice once", () => {
    expect(diffAlerts(new Map(), [spec("A"), spec("A")], NOW)).toHaveLength(1);
  });

  it("applied to the active set, leaves nothing more to do", () => {
    const active = activeOf(spec("A"), spec("B"));
    const desired = [spec("B", { annotations: { summary: "x", description: "y" } }), spec("C")];
    applyAlertEvents(active, diffAlerts(active, desired, NOW));
    expect(diffAlerts(active, desired, NOW + 1)).toEqual([]);
    expect([...active.keys()].sort()).toEqual(desired.map(fp).sort());
  });
});

describe("expiredAlertEvents", () => {
  it("resolves one-shot alerts at their expiry once it has passed", () => {
    const gone = { ...spec("ActionExecuted", { source: "action", expiresAt: NOW - 1 }), fingerprint: "a".repeat(16) };
    const later = { ...spec("ActionFailed", { source: "action", expiresAt: NOW + 1 }), fingerprint: "b".repeat(16) };
    const standing = { ...spec("ComponentDown"), fingerprint: "c".repeat(16) };
    expect(expiredAlertEvents([gone, later, standing], NOW)).toEqual([{ ...gone, status: "resolved", at: NOW, endsAt: NOW - 1 }]);
  });
});

describe("deriveAlerts", () => {
  const units = [unit("postgres:labcluster/pg1", "DOWN")];
  const v = verdict([component("database", "DOWN", ["postgres:labcluster/pg1"])], units, [finding("orphan-primary:labcluster/pg1", "WARNING", ["postgres:labcluster/pg1"])]);
  const input: DeriveInput = {
    now: NOW,
    verdict: v,
    sla: { at: NOW, components: [] },
    self: { startedAt: T0, lastEvaluationAt: NOW, lastResultAt: NOW, staleAfterMs: 15_000, lateness: [], storeErrors: 0 },
    watchdog: true,
    burnMinKnownPercent: 50,
  };
  const names = (xs: AlertSpec[]) => xs.map((x) => x.labels.alertname);

  it("gathers status, finding, self alerts and the Watchdog", () => {
    expect(names(deriveAlerts(input))).toEqual(["ComponentDown", "Finding", "Watchdog"]);
    expect(names(deriveAlerts({ ...input, watchdog: false }))).toEqual(["ComponentDown", "Finding"]);
  });

  it("stops the Watchdog when the dashboard itself is in trouble", () => {
    expect(names(deriveAlerts({ ...input, self: { ...input.self, lastEvaluationAt: NOW - 60_000 } }))).toEqual(["ComponentDown", "Finding", "DashboardFeedStale"]);
  });

  it("while warming up (no verdict) keeps the status and finding alerts already firing, and raises none", () => {
    const down = spec("ComponentDown");
    const burn = spec("SlaBurnRate", { source: "burn" });
    const active = activeOf(down, burn);
    const out = deriveAlerts({ ...input, verdict: null, sla: null, watchdog: false, active });
    expect(diffAlerts(active, out, NOW)).toEqual([]);
    expect(names(deriveAlerts({ ...input, verdict: null }))).toEqual(["Watchdog"]);
  });

  it("resolves burn alerts only once figures say so", () => {
    const burn = spec("SlaBurnRate", { source: "burn" });
    const events = diffAlerts(activeOf(burn), deriveAlerts({ ...input, active: activeOf(burn) }), NOW);
    expect(events.filter((e) => e.status === "resolved").map((e) => e.labels.alertname)).toEqual(["SlaBurnRate"]);
  });
});

/**
 * A lab-shaped snapshot for the exporter's tests, built the way the runtime builds one: observations
 * through the real evaluator (several probes, so hysteresis confirms), unit data from the latest
 * probe, cluster views from views.ts. Test-only; nothing in the app imports this file.
 */
import type { Snapshot } from "@/lib/snapshot";
import { unitsFromConfig } from "@/server/scheduler/units";
import { evaluate, initialHealthState } from "@/server/health/evaluate";
import { T0, healthy, labConfig, pgStandby, redis, replace } from "@/server/health/test-factories";
import type { Observation } from "@/server/health/types";
import { buildClusterViews } from "./views";
import type { MetricsExtras } from "./metrics";

export const config = labConfig({ title: 'Lab "HA" control room' });

/** pg2 lagging 7 s and redis2 promoted while redis1 still says master (two Redis masters), for `probes` seconds. */
export function faultyLab(t: number): Observation[] {
  return replace(healthy(t), pgStandby("pg2", { at: t, lagSeconds: 7 }), redis("redis2", { at: t, role: "master" }));
}

export function labSnapshot(probes = 20, observe: (t: number) => Observation[] = faultyLab): Snapshot {
  let state = initialHealthState();
  let last: Observation[] = [];
  let verdict = evaluate(config, [], state, T0).verdict;
  for (let i = 0; i < probes; i++) {
    const t = T0 + i * 1000;
    last = observe(t);
    ({ verdict, state } = evaluate(config, last, state, t + 10));
  }
  const byKey = new Map(last.map((o) => [o.unitKey, o]));
  const health = new Map(verdict.units.map((u) => [u.key, u]));
  const labels = new Map(unitsFromConfig(config).map((u) => [u.key, u.label]));
  const at = T0 + (probes - 1) * 1000 + 10;
  return {
    version: probes,
    at,
    title: config.title,
    overall: { status: verdict.overall, reasons: verdict.reasons },
    components: verdict.components,
    findings: verdict.findings,
    units: verdict.units.map((u) => ({ ...u, label: labels.get(u.key) ?? u.key, data: byKey.get(u.key)?.result.data ?? null })),
    clusters: buildClusterViews(config, (k) => {
      // The runtime keeps each probe's Reading, which names its kind; an Observation keeps it beside the result.
      const o = byKey.get(k);
      return o ? ({ ...o.result, kind: o.kind } as never) : undefined;
    }, (k) => health.get(k)?.status ?? "NO_DATA"),
    events: [],
    monitor: { startedAt: T0, units: verdict.units.length, lastEvaluationAt: at },
  };
}

/** What the route adds from the control store, as a scrape with alerting configured would see it. */
export const labExtras: MetricsExtras = {
  alerts: [{ severity: "critical" }, { severity: "critical" }, { severity: "info" }],
  notifications: [
    { receiver: "alertmanager", result: "delivered", count: 12 },
    { receiver: "alertmanager", result: "retried", count: 0 },
    { receiver: "alertmanager", result: "dead", count: 0 },
    { receiver: "alertmanager", result: "silenced", count: 1 },
    { receiver: "pager", result: "delivered", count: 3 },
    { receiver: "pager", result: "dead", count: 1 },
  ],
  budgets: [
    { component: "system", window: "month", remainingMs: 200_000, allowedMs: 267_840 },
    { component: "database", window: "rolling30", remainingMs: 250_000, allowedMs: 259_200 },
    { component: "database", window: "month", remainingMs: -1_500, allowedMs: 267_840 },
    { component: "cache", window: "month", remainingMs: 267_840, allowedMs: 267_840 },
  ],
};

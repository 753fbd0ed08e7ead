import { describe, expect, it } from "vitest";
import type { TransitionStatus } from "@/server/store/schema";
import { buildRto, type RtoInputs, type RtoTransition, type RtoUnit } from "./rto";

const S = 1000;
const T = 1_800_000_000_000;
const FROM = T - 3600 * S;
const TO = T + 3600 * S;

const units: RtoUnit[] = [
  { key: "http:te1-health", kind: "http", targetId: "te1-health", component: "trading-engine", host: "10.0.0.1" },
  { key: "tcp:te1-tcp", kind: "tcp", targetId: "te1-tcp", component: "trading-engine", host: "10.0.0.1" },
  { key: "http:oms-health", kind: "http", targetId: "oms-health", component: "order-management", host: "10.0.0.1" },
  { key: "http:te2-health", kind: "http", targetId: "te2-health", component: "trading-engine", host: "10.0.0.2" },
  { key: "vrrp:vi-trading", kind: "vrrp", targetId: "vi-trading", component: "load-balancer", host: null },
];
const components = [
  { id: "trading-engine", name: "Trading Engine" },
  { id: "order-management", name: "Order Management" },
  { id: "load-balancer", name: "Load Balancer" },
];
const tr = (subject: string, at: number, toStatus: TransitionStatus, reason: string | null = null, confirmedAt: number | null = at): RtoTransition => ({ subject, at, toStatus, reason, confirmedAt });
const rto = (transitions: RtoTransition[], o: Partial<RtoInputs> = {}) =>
  buildRto({ components, units, baseline: [tr("component:trading-engine", FROM - S, "UP")], transitions: transitions.sort((a, b) => a.at - b.at), corrections: [], from: FROM, to: TO, now: T + 600 * S, ...o });

describe("buildRto", () => {
  it("one incident from the first failing probe to the first passing one, with its confirmation; NO_DATA in between does not close it", () => {
    const r = rto([
      tr("http:te1-health", T - 5, "DOWN", "connection refused", T + 2 * S),
      tr("component:trading-engine", T, "DEGRADED", "te1 refused", T + 2 * S),
      tr("component:trading-engine", T + 4 * S, "DOWN", "none serving", T + 6 * S),
      tr("component:trading-engine", T + 9 * S, "NO_DATA", "restart", T + 9 * S),
      tr("component:trading-engine", T + 20 * S, "UP", "all serving", T + 21 * S),
      tr("http:te1-health", T + 19 * S, "UP", "HTTP 200", T + 21 * S),
    ]);
    expect(r.incidents).toHaveLength(1);
    expect(r.incidents[0]).toMatchObject({
      componentId: "trading-engine",
      suspectedAt: T,
      confirmedAt: T + 2 * S,
      recoveredAt: T + 20 * S,
      open: false,
      worst: "DOWN",
      detectionMs: 2 * S,
      recoveryMs: 20 * S,
      mode: "software-crash",
      cause: "te1 refused",
      correction: null,
    });
    expect(r.incidents[0]!.automatic.evidence).toContain("http:te1-health: process gone (connection refused) while host 10.0.0.1 answered other probes");
    const row = r.rows.find((x) => x.mode === "software-crash")!;
    expect(row).toMatchObject({ incidents: 1, detection: { count: 1, p50Ms: 2 * S }, recovery: { count: 1, maxMs: 20 * S }, verdict: "met" });
  });

  it("a host whose every probe went unanswered is hardware; a split-brain finding during it is a partition", () => {
    const hw = rto([
      tr("http:te2-health", T, "DOWN", "host unreachable"),
      tr("component:trading-engine", T + 1, "DEGRADED"),
      tr("component:trading-engine", T + 40 * S, "UP"),
    ]);
    expect(hw.incidents[0]!.mode).toBe("server-hardware");
    const split = rto(
      [tr("finding:split-brain:vi-trading", T + S, "DOWN", "two masters"), tr("component:load-balancer", T, "DEGRADED", "two MASTERs"), tr("component:load-balancer", T + 8 * S, "UP"), tr("finding:split-brain:vi-trading", T + 8 * S, "UP")],
      { baseline: [tr("component:load-balancer", FROM - S, "UP")] },
    );
    expect(split.incidents[0]).toMatchObject({ componentId: "load-balancer", mode: "network-partition", recoveryMs: 8 * S });
  });

  it("an operator's last correction decides the mode and moves the incident between rows", () => {
    const transitions = [tr("http:te1-health", T, "DOWN", "connection refused"), tr("component:trading-engine", T, "DEGRADED"), tr("component:trading-engine", T + 45 * S, "UP")];
    const corrections = [
      { componentId: "trading-engine", suspectedAt: T, mode: "database" as const, note: "first guess", correctedAt: T + 100 * S, correctedBy: "olga" },
      { componentId: "trading-engine", suspectedAt: T, mode: "server-hardware" as const, note: "PSU failed", correctedAt: T + 200 * S, correctedBy: "olga" },
    ];
    const r = rto(transitions, { corrections });
    expect(r.incidents[0]).toMatchObject({ mode: "server-hardware", automatic: { mode: "software-crash" }, correction: { mode: "server-hardware", note: "PSU failed", by: "olga" } });
    expect(r.rows.find((x) => x.mode === "server-hardware")).toMatchObject({ incidents: 1, verdict: "met" });
    expect(r.rows.find((x) => x.mode === "software-crash")).toMatchObject({ incidents: 0 });
  });

  it("an incident still open at now has no recovery and counts against its target as it goes on", () => {
    const r = rto([tr("http:te1-health", T, "DOWN", "connection refused"), tr("component:trading-engine", T, "DOWN")], { now: T + 31 * S });
    expect(r.incidents[0]).toMatchObject({ open: true, recoveredAt: null, recoveryMs: null });
    expect(r.rows.find((x) => x.mode === "software-crash")).toMatchObject({ open: 1, longestOpenMs: 31 * S, verdict: "missed" });
  });

  it("leaves out incidents that began before the period; an old row without confirmed_at has no detection figure", () => {
    const r = rto([tr("component:trading-engine", T + 10 * S, "UP"), tr("component:trading-engine", T + 20 * S, "DOWN", null, null), tr("component:trading-engine", T + 30 * S, "UP")], {
      baseline: [tr("component:trading-engine", FROM - S, "DOWN")],
    });
    expect(r.incidents.map((i) => [i.suspectedAt, i.detectionMs, i.mode])).toEqual([[T + 20 * S, null, null]]);
    expect(r.unclassified).toBe(1);
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { STATUSES, type Status } from "@/lib/status";
import { TRANSITION_STATUSES } from "@/server/store/schema";
import { step, type UnitMemory } from "@/server/health/hysteresis";
import { computeBudget } from "./budget";
import { composeAvailability, type CompositionNode } from "./compose";
import { measureDowntime, sumMeasures, type DowntimeReport, type Measures } from "./downtime";
import type { BudgetWindow } from "./period";
import type { DowntimePolicy, MaintenanceWindow } from "./policy";
import { buildTimeline, type RunSpan, type StatusChange } from "./timeline";

/** Small integer times, so that runs, transitions, windows and period bounds often coincide. */
const time = fc.integer({ min: 0, max: 1000 });
const RUN_IDS = ["r0", "r1", "r2", "r3"];

const runArb = fc.record({ instanceId: fc.constantFrom(...RUN_IDS), startedAt: time, length: fc.integer({ min: 0, max: 500 }) }).map<RunSpan>((r) => ({ instanceId: r.instanceId, startedAt: r.startedAt, lastSeenAt: r.startedAt + r.length }));
const transitionArb = fc.record({
  at: fc.integer({ min: -100, max: 1600 }),
  toStatus: fc.constantFrom(...TRANSITION_STATUSES),
  instanceId: fc.option(fc.constantFrom(...RUN_IDS), { nil: undefined }),
});
const maintenanceArb = fc.record({ components: fc.constantFrom<string[]>(["c"], ["*"], ["other"], ["other", "c"]), start: time, length: fc.integer({ min: 1, max: 300 }) }).map<MaintenanceWindow>((w) => ({ components: w.components, start: w.start, end: w.start + w.length, reason: "test" }));
const policyArb = fc.record<DowntimePolicy>({
  countsAsDown: fc.subarray([...STATUSES], { minLength: 1 }),
  maintenance: fc.constantFrom("exclude", "count"),
});

const scenarioArb = fc.record({
  runs: fc.array(runArb, { maxLength: 4 }),
  transitions: fc.array(transitionArb, { maxLength: 20 }),
  maintenance: fc.array(maintenanceArb, { maxLength: 3 }),
  policy: policyArb,
  from: time,
  length: fc.integer({ min: 0, max: 1200 }),
  now: fc.integer({ min: 0, max: 1600 }),
  liveGraceMs: fc.integer({ min: 0, max: 50 }),
});
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer S> ? S : never;

function report(s: Scenario, from: number, to: number): DowntimeReport {
  const { segments } = buildTimeline({ transitions: s.transitions, runs: s.runs, from, to, now: s.now, liveGraceMs: s.liveGraceMs });
  return measureDowntime({ segments, from, to, now: s.now, componentId: "c", policy: s.policy, maintenance: s.maintenance });
}

const MEASURE_KEYS: (keyof Measures)[] = ["upMs", "downMs", "degradedMs", "staleMs", "noDataMs", "unknownMs", "maintenanceMs"];
const VIEWS = ["includingMaintenance", "excludingMaintenance"] as const;

describe("properties of the downtime measures", () => {
  it("the measures partition the elapsed period: their sum is its length, in both views", () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const r = report(s, s.from, s.from + s.length);
        expect(r.elapsedMs).toBe(Math.max(0, Math.min(s.from + s.length, s.now) - s.from));
        for (const v of VIEWS) expect(sumMeasures(r[v].measures)).toBe(r.elapsedMs);
        expect(Object.values(r.byStatus).reduce((a, b) => a + b, 0)).toBe(r.elapsedMs);
        expect(r.excludingMaintenance.measures.maintenanceMs).toBe(r.maintenanceMs);
      }),
      { numRuns: 500 },
    );
  });

  it("incidents are disjoint, ordered, non-empty, and their durations sum to downMs", () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const r = report(s, s.from, s.from + s.length);
        for (const v of VIEWS) {
          const { incidents, measures } = r[v];
          expect(incidents.reduce((a, i) => a + i.durationMs, 0)).toBe(measures.downMs);
          let last = -Infinity;
          for (const i of incidents) {
            expect(i.durationMs).toBeGreaterThan(0);
            expect(i.start).toBeGreaterThan(last);
            expect((i.end ?? s.now) - i.start).toBe(i.durationMs);
            last = i.end ?? Infinity;
          }
          expect(incidents.filter((i) => i.open).length).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("splitting a period at any point never changes the total of any measure", () => {
    fc.assert(
      fc.property(scenarioArb, fc.double({ min: 0, max: 1, noNaN: true }), (s, cut) => {
        const to = s.from + s.length;
        const at = s.from + Math.round(cut * s.length);
        const whole = report(s, s.from, to);
        const left = report(s, s.from, at);
        const right = report(s, at, to);
        for (const v of VIEWS)
          for (const k of MEASURE_KEYS) expect(left[v].measures[k] + right[v].measures[k]).toBe(whole[v].measures[k]);
        expect(left.maintenanceMs + right.maintenanceMs).toBe(whole.maintenanceMs);
        expect(left.elapsedMs + right.elapsedMs).toBe(whole.elapsedMs);
      }),
      { numRuns: 500 },
    );
  });

  it("the pessimistic availability never exceeds the known-time one", () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const r = report(s, s.from, s.from + s.length);
        for (const v of VIEWS) {
          const { knownPercent, pessimisticPercent } = r[v].availability;
          if (knownPercent !== null && pessimisticPercent !== null) expect(pessimisticPercent).toBeLessThanOrEqual(knownPercent + 1e-9);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("unknown never counts as up", () => {
  /** Runs and transitions where every transition lies inside its run (as the runtime records them). */
  const recordedArb = fc
    .array(runArb, { maxLength: 4 })
    .chain((runs) =>
      fc.record({
        runs: fc.constant(runs.map((r, i) => ({ ...r, instanceId: `r${i}` }))),
        transitions: runs.length === 0
          ? fc.constant([] as StatusChange[])
          : fc.array(
              fc.record({ run: fc.integer({ min: 0, max: runs.length - 1 }), offset: fc.double({ min: 0, max: 1, noNaN: true }), toStatus: fc.constantFrom(...TRANSITION_STATUSES) }).map<StatusChange>((t) => {
                const r = runs[t.run]!;
                return { at: r.startedAt + Math.round(t.offset * (r.lastSeenAt - r.startedAt)), toStatus: t.toStatus, instanceId: `r${t.run}` };
              }),
              { maxLength: 20 },
            ),
      }),
    );

  /** No monitor ran during [g1, g2): runs are cut, what they would have recorded is lost, and they resume as new runs. */
  function withGap(runs: RunSpan[], transitions: StatusChange[], g1: number, g2: number) {
    const cutRuns: RunSpan[] = [];
    for (const r of runs) {
      if (r.lastSeenAt <= g1 || r.startedAt >= g2) {
        cutRuns.push(r);
        continue;
      }
      if (r.startedAt < g1) cutRuns.push({ ...r, lastSeenAt: g1 });
      if (r.lastSeenAt > g2) cutRuns.push({ instanceId: `${r.instanceId}'`, startedAt: g2, lastSeenAt: r.lastSeenAt });
    }
    const inRun = (t: StatusChange) => runs.find((r) => r.instanceId === t.instanceId)!;
    const cutTransitions = transitions
      .filter((t) => t.at < g1 || t.at >= g2)
      .map((t) => (t.at >= g2 && inRun(t).startedAt < g2 ? { ...t, instanceId: `${t.instanceId}'` } : t));
    return { runs: cutRuns, transitions: cutTransitions };
  }

  it("adding a gap never increases upMs, good time or the pessimistic availability", () => {
    fc.assert(
      fc.property(recordedArb, policyArb, time, fc.integer({ min: 1, max: 300 }), time, fc.integer({ min: 0, max: 1200 }), fc.integer({ min: 0, max: 1600 }), (rec, policy, g1, gapLength, from, length, now) => {
        const to = from + length;
        const measure = (runs: RunSpan[], transitions: StatusChange[]) =>
          measureDowntime({ segments: buildTimeline({ transitions, runs, from, to, now }).segments, from, to, now, policy });
        const before = measure(rec.runs, rec.transitions);
        const gap = withGap(rec.runs, rec.transitions, g1, g1 + gapLength);
        const after = measure(gap.runs, gap.transitions);
        const a = after.counted;
        const b = before.counted;
        expect(a.measures.upMs).toBeLessThanOrEqual(b.measures.upMs);
        expect(a.availability.goodMs).toBeLessThanOrEqual(b.availability.goodMs);
        expect(a.measures.unknownMs).toBeGreaterThanOrEqual(b.measures.unknownMs);
        if (b.availability.pessimisticPercent !== null) expect(a.availability.pessimisticPercent!).toBeLessThanOrEqual(b.availability.pessimisticPercent);
      }),
      { numRuns: 1000 },
    );
  });

  it("time no run covers is UNKNOWN whatever the transitions say", () => {
    fc.assert(
      fc.property(fc.array(transitionArb, { maxLength: 20 }), time, fc.integer({ min: 0, max: 1000 }), (transitions, from, length) => {
        const { segments } = buildTimeline({ transitions, runs: [], from, to: from + length, now: 5000 });
        expect(segments.every((s) => s.status === "UNKNOWN")).toBe(true);
        expect(segments.reduce((a, s) => a + s.end - s.start, 0)).toBe(length);
      }),
    );
  });
});

describe("budget properties", () => {
  const windowArb = fc.oneof(
    fc.constant<BudgetWindow>({ kind: "rolling" }),
    fc.integer({ min: 1, max: 400 }).map<BudgetWindow>((days) => ({ kind: "rolling", days })),
    fc.constantFrom<BudgetWindow>({ kind: "month" }, { kind: "quarter" }, { kind: "year" }, { kind: "month", timeZone: "Europe/Berlin" }),
    fc.record({ from: time, length: fc.integer({ min: 0, max: 2000 }) }).map<BudgetWindow>((w) => ({ kind: "custom", from: w.from, to: w.from + w.length })),
  );

  it("used + remaining = allowed, exactly, in both maintenance views", () => {
    fc.assert(
      fc.property(scenarioArb, windowArb, fc.integer({ min: 90_000, max: 99_999 }), (s, window, t) => {
        const { segments } = buildTimeline({ transitions: s.transitions, runs: s.runs, from: -1e12, to: 1e13, now: s.now, liveGraceMs: s.liveGraceMs });
        const b = computeBudget({ targetPercent: t / 1000, window, now: s.now, segments, componentId: "c", policy: s.policy, maintenance: s.maintenance });
        expect(Number.isInteger(b.allowedMs)).toBe(true);
        for (const f of [b, b.includingMaintenance, b.excludingMaintenance]) {
          expect(f.usedMs + f.remainingMs).toBe(b.allowedMs);
          expect(f.exhausted).toBe(f.usedMs > 0 && f.remainingMs <= 0);
          if (f.exhausted) expect(f.exhaustedAt).not.toBeNull();
        }
        expect(b.usedMs).toBe(b.maintenancePolicy === "exclude" ? b.excludingMaintenance.usedMs : b.includingMaintenance.usedMs);
      }),
      { numRuns: 300 },
    );
  });
});

describe("composition properties", () => {
  const percent = fc.double({ min: 0, max: 100, noNaN: true });
  const { tree } = fc.letrec<{ tree: CompositionNode }>((tie) => ({
    tree: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      percent.map<CompositionNode>((p) => ({ kind: "component", id: "x", availabilityPercent: p })),
      fc.array(tie("tree"), { maxLength: 4 }).map<CompositionNode>((children) => ({ kind: "serial", children })),
      fc.array(tie("tree"), { maxLength: 4 }).map<CompositionNode>((children) => ({ kind: "parallel", children })),
    ),
  }));

  const size = (n: CompositionNode): number => 1 + (n.kind === "component" ? 0 : n.children.reduce((a, c) => a + size(c), 0));
  /** Replaces the k-th node (pre-order) by f(node). */
  function mapAt(n: CompositionNode, k: number, f: (n: CompositionNode) => CompositionNode): CompositionNode {
    let i = 0;
    const go = (m: CompositionNode): CompositionNode => {
      if (i++ === k) return f(m);
      return m.kind === "component" ? m : { ...m, children: m.children.map(go) };
    };
    return go(n);
  }

  it("adding a redundant parallel component never lowers availability", () => {
    fc.assert(
      fc.property(tree, fc.nat(), percent, (t, k, extra) => {
        const spare: CompositionNode = { kind: "component", id: "spare", availabilityPercent: extra };
        const wrapped = mapAt(t, k % size(t), (n) => ({ kind: "parallel", children: [n, spare] }));
        expect(composeAvailability(wrapped)).toBeGreaterThanOrEqual(composeAvailability(t));
        // Adding it to an existing parallel group, too.
        const grown = mapAt(t, k % size(t), (n) => (n.kind === "parallel" ? { ...n, children: [...n.children, spare] } : n));
        expect(composeAvailability(grown)).toBeGreaterThanOrEqual(composeAvailability(t));
      }),
      { numRuns: 1000 },
    );
  });

  it("composed availability stays within [0, 100]; a serial chain is no better than its weakest part", () => {
    fc.assert(
      fc.property(fc.array(percent, { minLength: 1, maxLength: 8 }), (ps) => {
        const a = composeAvailability({ kind: "serial", children: ps.map((p) => ({ kind: "component", id: "x", availabilityPercent: p })) });
        expect(a).toBeGreaterThanOrEqual(0);
        expect(a).toBeLessThanOrEqual(Math.min(...ps) + 1e-9);
      }),
    );
  });
});

describe("hysteresis dates downtime by the outage, not by its confirmation", () => {
  /**
   * A target down over [a, b), probed every `interval` ms: a probe sent while it is down fails at its
   * deadline, unless the target comes back first (a frozen process answers what waited), and one sent
   * while it is up answers at once. The stored transitions are the unit's confirmed changes at their
   * `since`, clamped in order as the runtime records them.
   */
  const outageArb = fc.record({
    interval: fc.integer({ min: 100, max: 2000 }),
    timeoutShare: fc.double({ min: 0.05, max: 1, noNaN: true }),
    phase: fc.double({ min: 0, max: 1, noNaN: true }),
    a: fc.integer({ min: 5_000, max: 10_000 }),
    length: fc.integer({ min: 0, max: 30_000 }),
    rise: fc.integer({ min: 1, max: 4 }),
    fall: fc.integer({ min: 1, max: 5 }),
  });

  it("a confirmed outage records its length within one poll interval; one that never confirms records nothing", () => {
    fc.assert(
      fc.property(outageArb, ({ interval, timeoutShare, phase, a, length, rise, fall }) => {
        const timeout = Math.max(1, Math.round(timeoutShare * interval));
        const b = a + length;
        const end = b + (rise + 2) * interval + timeout;
        const o = { rise, fall, gapMs: 3 * interval };
        let m: UnitMemory | undefined;
        let failures = 0;
        const transitions: StatusChange[] = [];
        let last: { status: Status; at: number } | undefined;
        for (let sent = Math.round(phase * interval); sent < end; sent += interval) {
          const down = sent >= a && sent < b;
          const failsAt = sent + timeout;
          const verdict = down && failsAt <= b ? { status: "DOWN" as const, reason: "timed out", at: failsAt } : { status: "UP" as const, reason: "ok", at: down ? b : sent };
          if (verdict.status === "DOWN") failures++;
          m = step(m, verdict, verdict.at, o, sent);
          if (last?.status !== m.confirmed) {
            const at = Math.max(m.since, last?.at ?? -Infinity);
            transitions.push({ at, toStatus: m.confirmed, instanceId: "r" });
            last = { status: m.confirmed, at };
          }
        }
        const runs: RunSpan[] = [{ instanceId: "r", startedAt: 0, lastSeenAt: end + interval }];
        const { segments } = buildTimeline({ transitions, runs, from: 0, to: end + interval, now: end + interval });
        const downMs = measureDowntime({ segments, from: 0, to: end + interval, now: end + interval }).counted.measures.downMs;
        if (failures >= fall) expect(Math.abs(downMs - length)).toBeLessThanOrEqual(interval);
        else expect(downMs).toBe(0);
      }),
      { numRuns: 1000 },
    );
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FAILURE_MODES } from "@/lib/rto";
import { rtoScoreboard, type RtoIncident } from "./rto";

const S = 1000;
const T = 1_800_000_000_000;
const inc = (mode: RtoIncident["mode"], detect: number | null, recover: number | null, at = T): RtoIncident => ({
  mode,
  suspectedAt: at,
  confirmedAt: detect === null ? null : at + detect,
  recoveredAt: recover === null ? null : at + recover,
});
const row = (r: ReturnType<typeof rtoScoreboard>, mode: string) => r.rows.find((x) => x.mode === mode)!;

describe("rtoScoreboard", () => {
  it("lists every mode in the document's order with its target, even without incidents", () => {
    const r = rtoScoreboard([], T);
    expect(r.rows.map((x) => [x.mode, x.targetMinMs / S, x.targetMaxMs / S])).toEqual([
      ["server-hardware", 30, 60],
      ["network-partition", 5, 10],
      ["software-crash", 10, 30],
      ["database", 60, 120],
      ["data-centre", 120, 300],
    ]);
    expect(r.rows.every((x) => x.verdict === "no-data" && x.incidents === 0 && x.detection.p50Ms === null)).toBe(true);
  });

  it("p50 (interpolated) and max of detection and recovery, per mode", () => {
    const r = rtoScoreboard([inc("software-crash", 2 * S, 10 * S), inc("software-crash", 3 * S, 12 * S), inc("software-crash", 4 * S, 20 * S), inc("software-crash", 5 * S, 21 * S), inc("database", S, 70 * S)], T + 100 * S);
    expect(row(r, "software-crash")).toMatchObject({ incidents: 4, detection: { count: 4, p50Ms: 3500, maxMs: 5 * S }, recovery: { count: 4, p50Ms: 16 * S, maxMs: 21 * S }, verdict: "met", open: 0 });
    expect(row(r, "database")).toMatchObject({ incidents: 1, recovery: { p50Ms: 70 * S, maxMs: 70 * S }, verdict: "met" });
  });

  it("a recovery over the target's upper bound misses it; so does an open incident already past it", () => {
    expect(row(rtoScoreboard([inc("network-partition", S, 11 * S)], T + 20 * S), "network-partition").verdict).toBe("missed");
    const open = rtoScoreboard([inc("network-partition", S, null)], T + 11 * S);
    expect(row(open, "network-partition")).toMatchObject({ open: 1, longestOpenMs: 11 * S, recovery: { count: 0 }, verdict: "missed" });
    expect(row(rtoScoreboard([inc("network-partition", S, null)], T + 9 * S), "network-partition").verdict).toBe("no-data");
  });

  it("an unconfirmed incident has no detection figure; unclassified ones are counted apart", () => {
    const r = rtoScoreboard([inc("software-crash", null, 5 * S), inc(null, S, S)], T + 10 * S);
    expect(row(r, "software-crash")).toMatchObject({ detection: { count: 0, p50Ms: null }, recovery: { count: 1 } });
    expect(r.unclassified).toBe(1);
  });

  it("properties: counts add up, p50 ≤ max, nothing negative, independent of input order", () => {
    const incArb = fc.record({
      mode: fc.option(fc.constantFrom(...FAILURE_MODES), { nil: null }),
      suspectedAt: fc.integer({ min: 0, max: 1e6 }),
      detect: fc.option(fc.integer({ min: -1000, max: 1e5 }), { nil: null }),
      recover: fc.option(fc.integer({ min: -1000, max: 1e6 }), { nil: null }),
    }).map<RtoIncident>((x) => ({ mode: x.mode, suspectedAt: x.suspectedAt, confirmedAt: x.detect === null ? null : x.suspectedAt + x.detect, recoveredAt: x.recover === null ? null : x.suspectedAt + x.recover }));
    fc.assert(
      fc.property(fc.array(incArb, { maxLength: 30 }), fc.integer({ min: 0, max: 3e6 }), (xs, now) => {
        const r = rtoScoreboard(xs, now);
        expect(r.rows.reduce((s, x) => s + x.incidents, 0) + r.unclassified).toBe(xs.length);
        for (const x of r.rows) {
          expect(x.open + x.recovery.count).toBe(x.incidents);
          for (const f of [x.detection, x.recovery]) {
            if (f.count === 0) expect(f.maxMs).toBeNull();
            else {
              expect(f.p50Ms!).toBeGreaterThanOrEqual(0);
              expect(f.p50Ms!).toBeLessThanOrEqual(f.maxMs!);
            }
          }
        }
        expect(rtoScoreboard([...xs].reverse(), now)).toEqual(r);
      }),
      { numRuns: 300 },
    );
  });
});

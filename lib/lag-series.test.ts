import { describe, expect, it } from "vitest";
import { addSamples, extendSeries, lagSamplesOf, replicationLagBytes, stepOf, type SeriesPoint } from "./lag-series";
import type { Snapshot } from "./snapshot";

const p = (t: number, v: number | null): SeriesPoint => ({ t, avg: v, min: v, max: v });

describe("extendSeries", () => {
  it("appends live samples in new buckets and slides the window", () => {
    const stored = [p(0, 1), p(10, 2), p(20, null)];
    const out = extendSeries(stored, 25, [{ ts: 31, value: 4 }, { ts: 35, value: 6 }], { stepMs: 10, windowMs: 30, now: 39 });
    // The window (9, 39] starts inside bucket 0, which is kept, as the server does.
    expect(out).toEqual([p(0, 1), p(10, 2), { t: 20, avg: null, min: null, max: null }, { t: 30, avg: 5, min: 4, max: 6 }]);
  });

  it("fills a stored bucket that was still empty, but never counts a stored sample twice", () => {
    const stored = [p(0, 1), p(10, 2), p(20, null)];
    const out = extendSeries(stored, 25, [{ ts: 12, value: 100 }, { ts: 22, value: 3 }], { stepMs: 10, windowMs: 30, now: 30 });
    expect(out.map((x) => x.avg)).toEqual([1, 2, 3, null]);
  });

  it("keeps gaps as nulls when no sample arrives", () => {
    const out = extendSeries([p(0, 1)], 5, [{ ts: 41, value: 2 }], { stepMs: 10, windowMs: 45, now: 45 });
    expect(out.map((x) => x.avg)).toEqual([1, null, null, null, 2]);
  });

  it("averages a sample after the stored end into the stored bucket as one more sample", () => {
    const out = extendSeries([p(0, 2)], 5, [{ ts: 7, value: 4 }], { stepMs: 10, windowMs: 9, now: 9 });
    expect(out).toEqual([{ t: 0, avg: 3, min: 2, max: 4 }]);
  });
});

describe("stepOf and addSamples", () => {
  it("reads the bucket width", () => {
    expect(stepOf([p(1000, 1), p(6000, 1)], 1)).toBe(5000);
    expect(stepOf([p(1000, 1)], 42)).toBe(42);
  });
  it("drops duplicates and old samples", () => {
    const a = addSamples([], [{ ts: 1, value: 1 }], 1, 100);
    const b = addSamples(a, [{ ts: 1, value: 1 }], 2, 100);
    expect(b).toBe(a);
    expect(addSamples(b, [{ ts: 150, value: 2 }], 150, 100)).toEqual([{ ts: 150, value: 2 }]);
  });
});

describe("replicationLagBytes", () => {
  it("adds up every stage, so a standby behind in sending is not shown as caught up", () => {
    expect(replicationLagBytes({ sendLagBytes: 1000, writeLagBytes: 200, flushLagBytes: 30, replayLagBytes: 4 })).toBe(1234);
    expect(replicationLagBytes({ sendLagBytes: 0, writeLagBytes: 0, flushLagBytes: 0, replayLagBytes: 0 })).toBe(0);
  });
  it("is unknown while any stage is unknown, or without a row", () => {
    expect(replicationLagBytes({ sendLagBytes: 1024, writeLagBytes: null, flushLagBytes: null, replayLagBytes: null })).toBeNull();
    expect(replicationLagBytes(undefined)).toBeNull();
  });
});

describe("lagSamplesOf", () => {
  it("takes full byte lag from the primary's replication rows and seconds from each standby, as the store does", () => {
    const unit = (node: string, data: unknown) => ({ key: `postgres:c/${node}`, kind: "postgres", targetId: "c", node, lastProbeAt: 1000, data });
    const stages = { sendLagBytes: 32, writeLagBytes: 16, flushLagBytes: 8, replayLagBytes: 8 };
    const snapshot = {
      clusters: [{ id: "c" }],
      units: [
        unit("pg1", { replication: [{ applicationName: "pg2", ...stages }, { applicationName: "pg3", ...stages, writeLagBytes: null }], standby: null }),
        unit("pg2", { replication: [], standby: { replayLagSeconds: 0.5 } }),
        { ...unit("pg3", null), lastProbeAt: 900 },
      ],
    } as unknown as Snapshot;
    expect(Object.fromEntries(lagSamplesOf(snapshot, "c"))).toEqual({
      "c/pg2|lag_bytes": { ts: 1000, value: 64 },
      "c/pg2|lag_seconds": { ts: 1000, value: 0.5 },
    });
  });
});

import { describe, expect, it } from "vitest";
import type { Status } from "@/lib/status";
import { step, suspectOf, viewAt, type UnitMemory } from "./hysteresis";

const O = { rise: 2, fall: 3, gapMs: 3000 };
const v = (status: Status, reason = status.toLowerCase()) => ({ status, reason });

/** Feed verdicts one second apart from t = 1000; returns every intermediate memory. */
function run(statuses: Status[], o = O): UnitMemory[] {
  const out: UnitMemory[] = [];
  let m: UnitMemory | undefined;
  statuses.forEach((s, i) => {
    m = step(m, v(s), 1000 * (i + 1), o);
    out.push(m);
  });
  return out;
}
const confirmed = (ms: UnitMemory[]) => ms.map((m) => m.confirmed);
/** From unknown, a fault is confirmed at the fall-th verdict: these leave the unit confirmed DOWN. */
const DOWN_CONFIRMED: Status[] = ["DOWN", "DOWN", "DOWN"];

describe("hysteresis", () => {
  it("adopts a first UP at once; a first fault stays unknown (NO_DATA) and suspect until fall confirms it", () => {
    expect(run(["UP"])[0]).toMatchObject({ confirmed: "UP", since: 1000 });
    const ms = run(["DOWN", "DOWN", "DOWN"]);
    expect(confirmed(ms)).toEqual(["NO_DATA", "NO_DATA", "DOWN"]);
    expect(suspectOf(ms[0], O)).toEqual({ status: "DOWN", count: 1, needed: 3, reason: "down" });
    // Confirmed at the third, dated from the first failing probe.
    expect(ms[2]!.since).toBe(1000);
  });

  it("one slow probe at start-up records no DOWN: the next UP is adopted at once", () => {
    const ms = run(["DOWN", "UP", "UP"]);
    expect(confirmed(ms)).toEqual(["NO_DATA", "UP", "UP"]);
    expect(ms[1]!.since).toBe(2000);
  });

  it("confirms DOWN exactly at the 3rd consecutive verdict (fall 3)", () => {
    const ms = run(["UP", "DOWN", "DOWN", "DOWN"]);
    expect(confirmed(ms)).toEqual(["UP", "UP", "UP", "DOWN"]);
    expect(ms[3]!.since).toBe(2000);
  });

  it("dates a confirmed fault from when its first failing probe was sent, a recovery from when its first passing probe answered", () => {
    // Each probe is sent 800 ms before it answers (a timeout); from UP at 1000: DOWN ×3, then UP ×2.
    let m = step(undefined, v("UP"), 1000, O, 200);
    expect(m.since).toBe(1000);
    for (const at of [2000, 3000, 4000]) m = step(m, v("DOWN"), at, O, at - 800);
    expect(m).toMatchObject({ confirmed: "DOWN", since: 1200 });
    m = step(m, v("UP"), 5000, O, 4200);
    expect(m).toMatchObject({ confirmed: "DOWN", since: 1200, candidateSince: 5000 });
    m = step(m, v("UP"), 6000, O, 5200);
    expect(m).toMatchObject({ confirmed: "UP", since: 5000, candidateSince: null });
  });

  it("a streak never starts before the verdict that preceded it", () => {
    let m = step(undefined, v("UP"), 1000, O);
    for (const at of [2000, 3000, 4000]) m = step(m, v("DOWN"), at, O, at - 5000);
    expect(m.since).toBe(1000);
  });

  it("a suspicion that never confirms changes no date; the next streak starts afresh", () => {
    const ms = run(["UP", "DOWN", "DOWN", "UP", "DOWN", "DOWN", "DOWN"]);
    expect(ms.slice(0, 6).map((m) => m.since)).toEqual([1000, 1000, 1000, 1000, 1000, 1000]);
    expect(ms[6]).toMatchObject({ confirmed: "DOWN", since: 5000 });
  });

  it("shows the pending change as a suspect with its count", () => {
    const ms = run(["UP", "DOWN", "DOWN", "DOWN"]);
    expect(suspectOf(ms[1], O)).toEqual({ status: "DOWN", count: 1, needed: 3, reason: "down" });
    expect(suspectOf(ms[2], O)).toEqual({ status: "DOWN", count: 2, needed: 3, reason: "down" });
    expect(suspectOf(ms[3], O)).toBeNull();
  });

  it("a flap does not confirm: UP in between resets the count", () => {
    const ms = run(["UP", "DOWN", "DOWN", "UP", "DOWN", "DOWN", "UP"]);
    expect(confirmed(ms).every((s) => s === "UP")).toBe(true);
    expect(suspectOf(ms[3], O)).toBeNull();
    expect(suspectOf(ms[5], O)?.count).toBe(2);
  });

  it("confirms UP after rise 2", () => {
    const ms = run([...DOWN_CONFIRMED, "UP", "UP"]).slice(2);
    expect(confirmed(ms)).toEqual(["DOWN", "DOWN", "UP"]);
    expect(ms[2]!.since).toBe(4000);
    expect(suspectOf(ms[1], O)).toEqual({ status: "UP", count: 1, needed: 2, reason: "up" });
  });

  it("a recovery interrupted by one bad verdict starts again", () => {
    expect(confirmed(run([...DOWN_CONFIRMED, "UP", "DOWN", "UP", "UP"]).slice(2))).toEqual(["DOWN", "DOWN", "DOWN", "DOWN", "UP"]);
  });

  it("alternating faults (DOWN, DEGRADED, DOWN) still confirm at fall, with the latest status", () => {
    const ms = run(["UP", "DOWN", "DEGRADED", "DOWN"]);
    expect(confirmed(ms)).toEqual(["UP", "UP", "UP", "DOWN"]);
    expect(suspectOf(ms[2], O)).toMatchObject({ status: "DEGRADED", count: 2 });
  });

  it("keeps the confirmed reason while a change is pending, and updates it while the status holds", () => {
    let m = step(undefined, v("UP", "HTTP 200"), 1000, O);
    m = step(m, v("DOWN", "connection refused"), 2000, O);
    expect(m.reason).toBe("HTTP 200");
    expect(m.candidateReason).toBe("connection refused");
    m = step(m, v("UP", "HTTP 200 again"), 3000, O);
    expect(m.reason).toBe("HTTP 200 again");
  });

  it("counts each verdict once: an observation not newer than the last is ignored", () => {
    const m1 = step(step(undefined, v("UP"), 1000, O), v("DOWN"), 2000, O);
    expect(step(m1, v("DOWN"), 2000, O)).toBe(m1);
    expect(step(m1, v("DOWN"), 1500, O)).toBe(m1);
  });

  it("rise 1 / fall 1 confirm at once", () => {
    expect(confirmed(run(["UP", "DOWN", "UP"], { rise: 1, fall: 1, gapMs: 3000 }))).toEqual(["UP", "DOWN", "UP"]);
  });

  it("after a monitoring gap an UP is adopted at once, a fault is STALE (unknown) until fall confirms it", () => {
    const up = step(undefined, v("UP"), 1000, O);
    expect(step(step(up, v("DOWN"), 4500, O), v("UP"), 9000, O)).toMatchObject({ confirmed: "UP", since: 9000, candidate: null });
    let m = step(up, v("DOWN"), 5000, O);
    expect(m).toMatchObject({ confirmed: "STALE", since: 5000, candidate: "DOWN", count: 1 });
    m = step(step(m, v("DOWN"), 6000, O), v("DOWN"), 7000, O);
    expect(m).toMatchObject({ confirmed: "DOWN", since: 5000, candidate: null });
  });
});

describe("viewAt", () => {
  const o = { ...O, intervalMs: 1000 };
  it("never probed is NO_DATA with no since", () => {
    expect(viewAt(undefined, 5000, o)).toEqual({ status: "NO_DATA", raw: "NO_DATA", suspect: null, since: null, reason: "no probe result yet" });
  });

  it("within 3 intervals shows the confirmed status and the raw verdict", () => {
    const m = run(["UP", "DOWN"])[1]!;
    expect(viewAt(m, 5000, o)).toMatchObject({ status: "UP", raw: "DOWN", suspect: { status: "DOWN", count: 1, needed: 3 }, since: 1000 });
  });

  it("a gap longer than 3 intervals is STALE at once, even for a confirmed UP (unknown, never up)", () => {
    const m = run(["UP"])[0]!;
    expect(viewAt(m, 4000, o).status).toBe("UP");
    const view = viewAt(m, 4001, o);
    expect(view).toMatchObject({ status: "STALE", raw: "STALE", suspect: null, since: 4000 });
    expect(view.reason).toContain("no probe result for 3 s (expected every 1 s)");
  });
});

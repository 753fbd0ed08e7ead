import { describe, expect, it } from "vitest";
import { buildTimeline, componentSubject, type RunSpan, type StatusChange } from "./timeline";

const S = 1000;
const run = (instanceId: string, startedAt: number, lastSeenAt: number): RunSpan => ({ instanceId, startedAt, lastSeenAt });
const ch = (at: number, toStatus: StatusChange["toStatus"], instanceId = "a", subject = "component:db"): StatusChange => ({ at, toStatus, instanceId, subject });
const seg = (start: number, end: number, status: string) => ({ start, end, status });

describe("buildTimeline", () => {
  it("a transition's status holds until the next one", () => {
    const { segments } = buildTimeline({
      transitions: [ch(0, "UP"), ch(100 * S, "DOWN"), ch(130 * S, "UP")],
      runs: [run("a", 0, 1000 * S)],
      from: 0,
      to: 200 * S,
      now: 1000 * S,
    });
    expect(segments).toEqual([seg(0, 100 * S, "UP"), seg(100 * S, 130 * S, "DOWN"), seg(130 * S, 200 * S, "UP")]);
  });

  it("time outside every run is UNKNOWN; a new run is NO_DATA until its first transition", () => {
    const { segments } = buildTimeline({
      transitions: [ch(0, "UP", "a"), ch(60 * S, "UP", "b")],
      runs: [run("a", 0, 40 * S), run("b", 55 * S, 100 * S)],
      from: 0,
      to: 100 * S,
      now: 100 * S,
    });
    expect(segments).toEqual([seg(0, 40 * S, "UP"), seg(40 * S, 55 * S, "UNKNOWN"), seg(55 * S, 60 * S, "NO_DATA"), seg(60 * S, 100 * S, "UP")]);
  });

  it("no runs at all: the whole elapsed period is UNKNOWN, whatever the transitions say", () => {
    const t = buildTimeline({ transitions: [ch(0, "UP")], runs: [], from: 0, to: 10 * S, now: 10 * S });
    expect(t.segments).toEqual([seg(0, 10 * S, "UNKNOWN")]);
    expect(t.unattributed).toBe(1);
  });

  it("a crash mid-incident: DOWN until the run's last sign of life, then UNKNOWN, never up", () => {
    // Last heartbeat at 50 s; the DOWN transition at 53 s proves the run was alive until then.
    const { segments } = buildTimeline({
      transitions: [ch(0, "UP"), ch(53 * S, "DOWN")],
      runs: [run("a", 0, 50 * S), run("b", 90 * S, 120 * S)],
      from: 0,
      to: 120 * S,
      now: 120 * S,
    });
    expect(segments).toEqual([seg(0, 53 * S, "UP"), seg(53 * S, 90 * S, "UNKNOWN"), seg(90 * S, 120 * S, "NO_DATA")]);
  });

  it("a crash after heartbeats: the incident runs to the last heartbeat, the rest is UNKNOWN", () => {
    const { segments } = buildTimeline({
      transitions: [ch(0, "UP"), ch(20 * S, "DOWN"), ch(95 * S, "DOWN", "b")],
      runs: [run("a", 0, 45 * S), run("b", 90 * S, 120 * S)],
      from: 0,
      to: 120 * S,
      now: 120 * S,
    });
    expect(segments).toEqual([
      seg(0, 20 * S, "UP"),
      seg(20 * S, 45 * S, "DOWN"),
      seg(45 * S, 90 * S, "UNKNOWN"),
      seg(90 * S, 95 * S, "NO_DATA"),
      seg(95 * S, 120 * S, "DOWN"),
    ]);
  });

  it("an open incident runs to now (run alive); time after now is not counted", () => {
    const { segments } = buildTimeline({
      transitions: [ch(0, "UP"), ch(30 * S, "DOWN")],
      runs: [run("a", 0, 60 * S)],
      from: 0,
      to: 3600 * S,
      now: 60 * S,
    });
    expect(segments).toEqual([seg(0, 30 * S, "UP"), seg(30 * S, 60 * S, "DOWN")]);
  });

  it("the live run's heartbeat lags: within liveGraceMs it covers up to now, otherwise the tail is UNKNOWN", () => {
    const input = { transitions: [ch(0, "UP"), ch(30 * S, "DOWN")], runs: [run("a", 0, 57 * S)], from: 0, to: 3600 * S, now: 60 * S };
    expect(buildTimeline({ ...input, liveGraceMs: 10 * S }).segments).toEqual([seg(0, 30 * S, "UP"), seg(30 * S, 60 * S, "DOWN")]);
    expect(buildTimeline(input).segments).toEqual([seg(0, 30 * S, "UP"), seg(30 * S, 57 * S, "DOWN"), seg(57 * S, 60 * S, "UNKNOWN")]);
  });

  it("a transition before the period sets the status at its start; those after it or of other subjects are ignored", () => {
    const { segments } = buildTimeline({
      transitions: [ch(0, "DOWN"), ch(500 * S, "UP"), ch(150 * S, "UP", "a", "component:cache"), ch(250 * S, "UP")],
      runs: [run("a", 0, 1000 * S)],
      subject: componentSubject("db"),
      from: 100 * S,
      to: 200 * S,
      now: 1000 * S,
    });
    expect(segments).toEqual([seg(100 * S, 200 * S, "DOWN")]);
  });

  it("does not depend on the order of the input", () => {
    const transitions = [ch(0, "UP"), ch(10 * S, "DOWN"), ch(20 * S, "DEGRADED"), ch(30 * S, "UP")];
    const runs = [run("a", 0, 25 * S), run("b", 27 * S, 40 * S)];
    const base = { from: 0, to: 40 * S, now: 40 * S };
    expect(buildTimeline({ ...base, transitions: [...transitions].reverse(), runs: [...runs].reverse() })).toEqual(buildTimeline({ ...base, transitions, runs }));
  });

  it("zero-length cases: empty or future period, zero-length runs, same-instant transitions, nothing of length 0", () => {
    expect(buildTimeline({ transitions: [], runs: [run("a", 0, 10)], from: 5, to: 5, now: 10 }).segments).toEqual([]);
    expect(buildTimeline({ transitions: [], runs: [run("a", 0, 10)], from: 20, to: 30, now: 10 }).segments).toEqual([]);
    const { segments } = buildTimeline({
      transitions: [ch(10, "DOWN"), ch(10, "UP"), ch(5, "UP", "z")],
      runs: [run("a", 0, 20), run("z", 5, 5)],
      from: 0,
      to: 20,
      now: 20,
    });
    // At 10 the later of two same-instant transitions of one run wins, so DOWN lasts 0 ms and vanishes.
    expect(segments).toEqual([seg(0, 10, "NO_DATA"), seg(10, 20, "UP")]);
    expect(segments.every((s) => s.end > s.start)).toBe(true);
  });

  it("maps the overall verdict's words: HEALTHY is UP, CRITICAL is DOWN", () => {
    const { segments } = buildTimeline({
      transitions: [ch(0, "HEALTHY"), ch(10, "CRITICAL"), ch(20, "DEGRADED")],
      runs: [run("a", 0, 30)],
      from: 0,
      to: 30,
      now: 30,
    });
    expect(segments.map((s) => s.status)).toEqual(["UP", "DOWN", "DEGRADED"]);
  });

  it("transitions without an instance id belong to the run whose span contains them", () => {
    const { segments, unattributed } = buildTimeline({
      transitions: [{ at: 0, toStatus: "UP" }, { at: 15, toStatus: "DOWN" }],
      runs: [run("a", 0, 10), run("b", 12, 30)],
      from: 0,
      to: 30,
      now: 30,
    });
    expect(unattributed).toBe(0);
    expect(segments).toEqual([seg(0, 10, "UP"), seg(10, 12, "UNKNOWN"), seg(12, 15, "NO_DATA"), seg(15, 30, "DOWN")]);
  });

  it("overlapping runs: the most recent transition among the live runs decides, without double counting", () => {
    const { segments } = buildTimeline({
      transitions: [ch(0, "UP", "a"), ch(10, "DOWN", "b"), ch(20, "UP", "a")],
      runs: [run("a", 0, 40), run("b", 5, 30)],
      from: 0,
      to: 40,
      now: 40,
    });
    expect(segments).toEqual([seg(0, 10, "UP"), seg(10, 20, "DOWN"), seg(20, 40, "UP")]);
  });
});

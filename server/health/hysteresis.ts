import type { Suspect } from "@/lib/health";
import type { Status } from "@/lib/status";
import type { Judgement } from "./judge";

/**
 * Per-unit hysteresis, as keepalived and HAProxy do it (`rise 2 fall 3`): a change is confirmed only
 * after enough consecutive verdicts, and shown as a suspect meanwhile. A monitoring gap is different:
 * it turns the unit STALE at once, because "unknown" must never read as "up".
 */

export interface UnitMemory {
  confirmed: Status;
  /** Epoch ms the confirmed status began. */
  since: number;
  /** Reason of the latest verdict that agreed with the confirmed status. */
  reason: string;
  /** The pending change: the latest differing verdict, and how many differing verdicts in a row. */
  candidate: Status | null;
  candidateReason: string | null;
  count: number;
  /** The latest verdict. */
  raw: Status;
  rawReason: string;
  /** Epoch ms of the latest verdict counted. */
  lastAt: number;
}

export interface HysteresisOptions {
  /** Consecutive UP verdicts that confirm UP. */
  rise: number;
  /** Consecutive non-UP verdicts that confirm a worse (or different non-UP) status. */
  fall: number;
  /** No verdict for longer than this means a monitoring gap (the evaluator uses 3 × the unit's interval). */
  gapMs: number;
}

/** Verdicts on the same side of UP count together: UP vs anything else. */
const sameSide = (a: Status, b: Status) => (a === "UP") === (b === "UP");
const neededFor = (s: Status, o: Pick<HysteresisOptions, "rise" | "fall">) => (s === "UP" ? o.rise : o.fall);

function adopt(v: Judgement, at: number): UnitMemory {
  return { confirmed: v.status, since: at, reason: v.reason, candidate: null, candidateReason: null, count: 0, raw: v.status, rawReason: v.reason, lastAt: at };
}

/**
 * Feed one verdict (taken at `at`). The first verdict, and the first after a monitoring gap, is
 * adopted at once: before it the unit's state was unknown, so there is nothing to be sticky about.
 * A verdict not newer than the last one counted is ignored (the same probe seen twice).
 */
export function step(prev: UnitMemory | undefined, v: Judgement, at: number, o: HysteresisOptions): UnitMemory {
  if (!prev || at - prev.lastAt > o.gapMs) return adopt(v, at);
  if (at <= prev.lastAt) return prev;
  const base = { ...prev, raw: v.status, rawReason: v.reason, lastAt: at };
  if (v.status === prev.confirmed) return { ...base, reason: v.reason, candidate: null, candidateReason: null, count: 0 };
  // A pending DOWN that turns into DEGRADED still counts as "not UP" in a row, so alternating faults
  // confirm too; the status confirmed is the latest one.
  const count = prev.candidate !== null && sameSide(prev.candidate, v.status) ? prev.count + 1 : 1;
  if (count >= neededFor(v.status, o)) return adopt(v, at);
  return { ...base, candidate: v.status, candidateReason: v.reason, count };
}

export function suspectOf(m: UnitMemory | undefined, o: Pick<HysteresisOptions, "rise" | "fall">): Suspect | null {
  if (!m || m.candidate === null) return null;
  return { status: m.candidate, count: m.count, needed: neededFor(m.candidate, o), reason: m.candidateReason };
}

export interface UnitView {
  status: Status;
  raw: Status;
  suspect: Suspect | null;
  since: number | null;
  reason: string;
}

const secs = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/**
 * What a unit shows at `now`. Never probed → NO_DATA. No verdict for longer than gapMs → STALE at once,
 * since the moment the gap began (the last verdict plus gapMs), whatever the last verdict said.
 */
export function viewAt(m: UnitMemory | undefined, now: number, o: HysteresisOptions & { intervalMs: number }): UnitView {
  if (!m) return { status: "NO_DATA", raw: "NO_DATA", suspect: null, since: null, reason: "no probe result yet" };
  const age = now - m.lastAt;
  if (age > o.gapMs) {
    return {
      status: "STALE",
      raw: "STALE",
      suspect: null,
      since: m.lastAt + o.gapMs,
      reason: `no probe result for ${secs(age)} (expected every ${secs(o.intervalMs)}); last seen ${m.raw}: ${m.rawReason}`,
    };
  }
  return { status: m.confirmed, raw: m.raw, suspect: suspectOf(m, o), since: m.since, reason: m.reason };
}

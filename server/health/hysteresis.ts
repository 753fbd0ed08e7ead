import type { Suspect } from "@/lib/health";
import type { Status } from "@/lib/status";
import type { Judgement } from "./judge";

/**
 * Per-unit hysteresis, as keepalived and HAProxy do it (`rise 2 fall 3`): a change is confirmed only
 * after enough consecutive verdicts, and shown as a suspect meanwhile. A monitoring gap is different:
 * it turns the unit STALE at once, because "unknown" must never read as "up".
 * Asymmetric on purpose, from unknown: UP at once, a fault only after `fall` (see `begin`).
 *
 * Hysteresis delays the verdict, not the outage: a confirmed change is dated from the first verdict
 * of the streak that confirmed it (a fault from when its first failing probe was sent, a recovery
 * from when its first passing probe answered), so downtime is the outage's time. A streak that never
 * confirms leaves `since` untouched.
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
  /** Epoch ms the pending streak began (see `streakStart`); null without a candidate. */
  candidateSince: number | null;
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

function adopt(v: Judgement, at: number, since: number): UnitMemory {
  return { confirmed: v.status, since, reason: v.reason, candidate: null, candidateReason: null, count: 0, candidateSince: null, raw: v.status, rawReason: v.reason, lastAt: at };
}

/**
 * When a verdict's status began, as far as the probe can tell: a failing probe shows the target did not
 * serve the request it sent at `startedAt`; a passing one shows it serves from its answer at `at` on
 * (a probe in flight across a recovery must not count the frozen time as up).
 */
const streakStart = (v: Judgement, at: number, startedAt: number) => (v.status === "UP" ? at : Math.min(at, startedAt));

/** Confirmed states that mean "not known yet" (before the first verdict, after a monitoring gap). */
const UNKNOWN = (s: Status) => s === "NO_DATA" || s === "STALE";

/**
 * The first verdict, or the first after a gap. UP is adopted at once. A fault still needs `fall`
 * verdicts and is a suspect meanwhile: one slow probe at start-up (a cold pool on a loaded machine)
 * must not record a DOWN that eats SLA budget; the state stays unknown until confirmed.
 */
function begin(v: Judgement, at: number, start: number, unknown: Status, o: HysteresisOptions): UnitMemory {
  if (v.status === "UP" || UNKNOWN(v.status) || neededFor(v.status, o) <= 1) return adopt(v, at, start);
  return { confirmed: unknown, since: at, reason: "not confirmed yet", candidate: v.status, candidateReason: v.reason, count: 1, candidateSince: start, raw: v.status, rawReason: v.reason, lastAt: at };
}

/**
 * Feed one verdict (its probe answered at `at`, was sent at `startedAt`, default `at`). A verdict not
 * newer than the last one counted is ignored (the same probe seen twice). While the confirmed state
 * is unknown, an UP verdict is adopted at once: there is nothing to be sticky about.
 */
export function step(prev: UnitMemory | undefined, v: Judgement, at: number, o: HysteresisOptions, startedAt = at): UnitMemory {
  const start = streakStart(v, at, startedAt);
  if (!prev) return begin(v, at, start, "NO_DATA", o);
  if (at - prev.lastAt > o.gapMs) return begin(v, at, start, "STALE", o);
  if (at <= prev.lastAt) return prev;
  if (UNKNOWN(prev.confirmed) && v.status === "UP") return adopt(v, at, at);
  const base = { ...prev, raw: v.status, rawReason: v.reason, lastAt: at };
  if (v.status === prev.confirmed) return { ...base, reason: v.reason, candidate: null, candidateReason: null, count: 0, candidateSince: null };
  // A pending DOWN that turns into DEGRADED still counts as "not UP" in a row, so alternating faults
  // confirm too; the status confirmed is the latest one.
  const continues = prev.candidate !== null && sameSide(prev.candidate, v.status);
  const count = continues ? prev.count + 1 : 1;
  // The previous verdict answered at lastAt, so a new streak cannot have begun before it.
  const since = continues && prev.candidateSince !== null ? prev.candidateSince : Math.max(start, prev.lastAt);
  if (count >= neededFor(v.status, o)) return adopt(v, at, since);
  return { ...base, candidate: v.status, candidateReason: v.reason, count, candidateSince: since };
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

import type { ProbeResult } from "@/server/collectors/types";
import type { ProbeUnit } from "./units";

/**
 * Polls every unit on its own timer: a deadline on every probe, never two probes in flight for one
 * unit, backoff for units that keep failing (healthy ones are never slowed), and an immediate
 * re-probe when a component pushes an event. One hung unit cannot delay another: nothing here
 * awaits a probe except that unit's own slot.
 */

/** What the scheduler needs of a unit; the runtime schedules `ProbeUnit`s. */
export interface ScheduledUnit {
  key: string;
  kind: string;
  intervalMs: number;
  timeoutMs: number;
}

/** What the scheduler reports on its own: a probe that overran its deadline, or a collector that threw. */
export type ProbeFailure = Extract<ProbeResult<never>, { ok: false }>;

export type ProbeFn<U extends ScheduledUnit = ProbeUnit, R extends ProbeResult<unknown> = ProbeResult<unknown>> = (unit: U, signal: AbortSignal) => Promise<R>;

export interface SchedulerDeps<U extends ScheduledUnit = ProbeUnit, R extends ProbeResult<unknown> = ProbeResult<unknown>> {
  probe: ProbeFn<U, R>;
  onResult: (unit: U, result: R | ProbeFailure, finishedAt: number) => void;
  /** Wall clock (epoch ms) for the results' timestamps. */
  now?: () => number;
  log?: (level: "debug" | "error", line: string) => void;
}

export interface SchedulerOptions {
  /** After this many consecutive failures the unit backs off… */
  backoffAfter?: number;
  /** …doubling its interval up to this factor. Recovery is then seen within factor × interval. */
  maxBackoffFactor?: number;
  /** How long past its deadline a probe may take to wind down before it is reported as stuck. */
  graceMs?: number;
  /** Summary line every so often (debug level). */
  summaryEveryMs?: number;
}

interface Slot<U> {
  unit: U;
  timer?: ReturnType<typeof setTimeout>;
  inFlight: boolean;
  failures: number;
  /** performance.now() at which the next probe is due. */
  due: number;
}

export interface SchedulerStats {
  units: number;
  inFlight: number;
  probes: number;
  failed: number;
  /** Start lateness (actual − scheduled, ms) of the probes since the last call, sorted. */
  lateness: number[];
}

/**
 * maxBackoffFactor 2: the evaluator calls a unit STALE after 3 intervals without a result, so a
 * longer backoff turned a target that is down into DOWN/STALE flapping, and STALE is not downtime
 * in the SLA figures (an outage of frozen engines read 6 s of 10).
 */
export const SCHEDULER_DEFAULTS = { backoffAfter: 3, maxBackoffFactor: 2, graceMs: 250, summaryEveryMs: 1_000 } as const;

const RECENT_STARTS = 2048;

export function backoffFactor(failures: number, after: number, max: number): number {
  if (failures <= after) return 1;
  return Math.min(2 ** (failures - after), max);
}

/**
 * Start one probe under its deadline. `report` settles at the latest at deadline + grace, so a
 * collector that ignores its signal (a bug) is reported as failed on time; `settled` is when the
 * collector's own promise ends, which is when the unit may be probed again.
 */
export function startProbe<U extends ScheduledUnit, R extends ProbeResult<unknown>>(
  probe: ProbeFn<U, R>,
  unit: U,
  graceMs = 250,
  log?: SchedulerDeps["log"],
): { report: Promise<R | ProbeFailure>; settled: Promise<void> } {
  // One timer per probe, cleared when the probe reports: at the deadline it aborts the signal (with
  // the TimeoutError AbortSignal.timeout would give) and re-arms for the grace period. Not
  // AbortSignal.timeout: its timer cannot be cleared, so it fired for every probe, finished or not,
  // and kept each finished probe's fetch objects reachable through the signal's listeners until the
  // deadline, so they survived into the old generation (measured by bench/poll.ts: GC was a fifth of
  // the CPU at 5,000 targets).
  const controller = new AbortController();
  const signal = controller.signal;
  const start = performance.now();
  const elapsed = () => Math.round(performance.now() - start);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stuck = new Promise<ProbeFailure>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new DOMException("The operation was aborted due to timeout", "TimeoutError"));
      timer = setTimeout(() => resolve({ ok: false, latencyMs: elapsed(), error: "probe did not stop at its deadline" }), graceMs);
    }, unit.timeoutMs);
  });
  const own = (async (): Promise<R | ProbeFailure> => {
    try {
      return await probe(unit, signal);
    } catch (e) {
      log?.("error", `[scheduler] ${unit.key}: the ${unit.kind} collector threw instead of returning a result: ${e instanceof Error ? e.name : "error"}`);
      return { ok: false, latencyMs: elapsed(), error: "probe crashed (see the server log)" };
    }
  })();
  const report = Promise.race([own, stuck]).finally(() => clearTimeout(timer));
  return { report, settled: own.then(() => undefined) };
}

/** Run one probe under its deadline and return what it found (or that it overran). */
export function runProbe<U extends ScheduledUnit, R extends ProbeResult<unknown>>(probe: ProbeFn<U, R>, unit: U, graceMs = 250, log?: SchedulerDeps["log"]): Promise<R | ProbeFailure> {
  return startProbe(probe, unit, graceMs, log).report;
}

export class Scheduler<U extends ScheduledUnit = ProbeUnit, R extends ProbeResult<unknown> = ProbeResult<unknown>> {
  private readonly slots = new Map<string, Slot<U>>();
  private running = false;
  private summaryTimer?: ReturnType<typeof setInterval>;
  private window = { probes: 0, failed: 0, lateness: [] as number[] };
  /** The latest probe starts (performance.now(), lateness ms), for `recentLateness`; independent of takeStats. */
  private readonly recent: { at: number; ms: number }[] = [];
  private readonly opts: Required<SchedulerOptions>;
  private readonly now: () => number;

  constructor(
    private readonly deps: SchedulerDeps<U, R>,
    options: SchedulerOptions = {},
  ) {
    this.opts = { ...SCHEDULER_DEFAULTS, ...options };
    this.now = deps.now ?? Date.now;
  }

  start(units: U[]): void {
    if (this.running) throw new Error("scheduler already started");
    this.running = true;
    const t0 = performance.now();
    units.forEach((unit, i) => {
      if (this.slots.has(unit.key)) throw new Error(`duplicate unit key ${unit.key}`);
      // Spread the first round over one interval so a thousand targets do not all start in the same tick.
      const slot: Slot<U> = { unit, inFlight: false, failures: 0, due: t0 + (i / units.length) * unit.intervalMs };
      this.slots.set(unit.key, slot);
      this.arm(slot);
    });
    if (this.deps.log) this.summaryTimer = setInterval(() => this.summary(), this.opts.summaryEveryMs);
  }

  /** Stop polling; in-flight probes finish (they are bounded by their deadlines) but report nothing. */
  stop(): void {
    this.running = false;
    clearInterval(this.summaryTimer);
    for (const s of this.slots.values()) clearTimeout(s.timer);
    this.slots.clear();
  }

  /** Probe the matching units now (a pushed event said something changed), unless already in flight. */
  trigger(match: (unit: U) => boolean): number {
    let n = 0;
    for (const s of this.slots.values()) {
      if (!match(s.unit) || s.inFlight) continue;
      clearTimeout(s.timer);
      s.due = performance.now();
      this.fire(s);
      n++;
    }
    return n;
  }

  /** Figures since the previous call (used by the debug summary and the benchmark). */
  takeStats(): SchedulerStats {
    const w = this.window;
    this.window = { probes: 0, failed: 0, lateness: [] };
    let inFlight = 0;
    for (const s of this.slots.values()) if (s.inFlight) inFlight++;
    return { units: this.slots.size, inFlight, probes: w.probes, failed: w.failed, lateness: w.lateness.sort((a, b) => a - b) };
  }

  /** Start lateness (ms, sorted) of the probes started in the last `windowMs` (at most the latest 2048). */
  recentLateness(windowMs: number): number[] {
    const since = performance.now() - windowMs;
    return this.recent.filter((r) => r.at >= since).map((r) => r.ms).sort((a, b) => a - b);
  }

  private arm(slot: Slot<U>): void {
    if (!this.running) return;
    slot.timer = setTimeout(() => this.fire(slot), Math.max(0, slot.due - performance.now()));
  }

  private fire(slot: Slot<U>): void {
    if (!this.running || this.slots.get(slot.unit.key) !== slot) return;
    const startedAt = performance.now();
    if (this.window.lateness.length < 100_000) this.window.lateness.push(startedAt - slot.due);
    this.recent.push({ at: startedAt, ms: startedAt - slot.due });
    if (this.recent.length > RECENT_STARTS) this.recent.splice(0, this.recent.length - RECENT_STARTS);
    slot.inFlight = true;
    const { report, settled } = startProbe(this.deps.probe, slot.unit, this.opts.graceMs, this.deps.log);
    void report.then((result) => {
      if (!this.running || this.slots.get(slot.unit.key) !== slot) return;
      this.window.probes++;
      if (!result.ok) this.window.failed++;
      slot.failures = result.ok ? 0 : slot.failures + 1;
      try {
        this.deps.onResult(slot.unit, result, this.now());
      } catch (e) {
        this.deps.log?.("error", `[scheduler] ${slot.unit.key}: result handler failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    });
    // The next probe waits for this one to really end (never two in flight), even if it overran.
    void Promise.all([report, settled]).then(() => {
      slot.inFlight = false;
      const factor = backoffFactor(slot.failures, this.opts.backoffAfter, this.opts.maxBackoffFactor);
      // Next start is measured from the scheduled start, not the finish, so intervals do not drift;
      // a unit that fell behind starts again at once rather than bursting to catch up.
      slot.due = Math.max(slot.due + slot.unit.intervalMs * factor, performance.now());
      this.arm(slot);
    });
  }

  private summary(): void {
    const s = this.takeStats();
    const pct = (p: number) => (s.lateness.length ? s.lateness[Math.min(s.lateness.length - 1, Math.floor(p * s.lateness.length))]!.toFixed(1) : "-");
    this.deps.log?.("debug", `[scheduler] ${s.units} units, ${s.probes} probes (${s.failed} failed), ${s.inFlight} in flight, start lateness p50 ${pct(0.5)} ms p99 ${pct(0.99)} ms`);
  }
}

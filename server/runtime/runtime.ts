import { randomUUID } from "node:crypto";
import { probeUnit, samplesOf, watchUnit, type ProbeUnit, type Reading } from "@/server/collectors";
import type { PushEvent } from "@/server/collectors/types";
import type { Config } from "@/server/config/load";
import { evaluate, initialHealthState, type ComponentMemory, type HealthState } from "@/server/health/evaluate";
import type { Observation } from "@/server/health/types";
import type { TransitionStatus } from "@/server/store/schema";
import type { SampleRecord, TransitionRecord } from "@/server/store/inputs";
import { collectSecrets, redactDeep } from "@/server/redact";
import { Scheduler, type ProbeFailure, type SchedulerOptions } from "@/server/scheduler/scheduler";
import { unitsFromConfig } from "@/server/scheduler/units";
import type { Snapshot, EventView, UnitSnapshot } from "@/lib/snapshot";
import type { Verdict } from "@/lib/health";
import { componentOfSubject, componentSubject } from "@/lib/keys";
import { FINDING_PREFIX, findingSubject } from "@/lib/rto";
import { STATUSES, type Status } from "@/lib/status";
import { buildClusterViews } from "./views";

/**
 * The server's live state: polls every unit (Scheduler), judges it (health evaluator), keeps the latest
 * snapshot for pages, pushes changes to subscribers, and hands transitions, samples and events to the
 * control store. One per server process (see ./index.ts).
 */

export type { SampleRecord, TransitionRecord };

/** What the runtime needs of the control store; null runs without persistence (tests, a broken store). */
export interface RuntimeSink {
  recordTransitions(rows: TransitionRecord[], instanceId: string): Promise<void>;
  recordSamples(rows: SampleRecord[]): Promise<void>;
  recordEvents(rows: PushEvent[]): Promise<void>;
  heartbeat(instanceId: string, startedAt: number, now: number): Promise<void>;
  /** The last stored transition of every subject: its status and when it began. */
  latestStatuses(): Promise<Map<string, { status: TransitionStatus; at: number }>>;
  maintain(now: number): Promise<void>;
}

export interface RuntimeOptions {
  config: Config;
  sink?: RuntimeSink | null;
  now?: () => number;
  log?: (level: "debug" | "info" | "error", line: string) => void;
  scheduler?: SchedulerOptions;
  /** Coalesce evaluations: at most one per this many ms. */
  evaluateEveryMs?: number;
}

const MAX_EVENTS = 100;

/** Stored `component:<id>` transitions as the evaluator's memory, so incident durations survive a restart. */
function componentMemory(latest: Map<string, { status: TransitionStatus; at: number }>): Record<string, ComponentMemory> {
  const out: Record<string, ComponentMemory> = {};
  for (const [subject, t] of latest) {
    const id = componentOfSubject(subject);
    const status = STATUSES.find((s) => s === t.status);
    if (id !== null && status) out[id] = { status, since: t.at };
  }
  return out;
}

export class Runtime {
  readonly instanceId = randomUUID();
  readonly startedAt: number;
  readonly units: ProbeUnit[];
  private readonly scheduler: Scheduler<ProbeUnit, Reading>;
  /** The latest result of each unit; a result keeps its kind, so the cluster views read it typed. */
  private readonly observations = new Map<string, Observation & { result: Reading | ProbeFailure }>();
  private health: HealthState;
  private verdict: Verdict | undefined;
  private snapshot: Snapshot;
  private readonly subscribers = new Set<(s: Snapshot) => void>();
  private readonly events: EventView[] = [];
  private samples: SampleRecord[] = [];
  /** Each subject's last recorded transition: its status and its (possibly backdated) time. */
  private previous = new Map<string, { status: TransitionStatus; at: number }>();
  private evalTimer?: ReturnType<typeof setTimeout>;
  private lastEvalAt = 0;
  private timers: ReturnType<typeof setInterval>[] = [];
  private watchers: { close(): void }[] = [];
  private readonly secrets: ReadonlySet<string>;
  private readonly now: () => number;
  private running = false;

  constructor(private readonly opts: RuntimeOptions) {
    this.now = opts.now ?? Date.now;
    this.startedAt = this.now();
    this.units = unitsFromConfig(opts.config);
    this.health = initialHealthState();
    this.secrets = collectSecrets(opts.config);
    this.scheduler = new Scheduler(
      {
        probe: (unit, signal) => probeUnit(unit, signal),
        onResult: (unit, result, at) => this.onResult(unit, result, at),
        now: this.now,
        log: opts.log ? (level, line) => opts.log!(level, line) : undefined,
      },
      opts.scheduler,
    );
    this.snapshot = this.buildSnapshot(0);
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const sink = this.opts.sink;
    if (sink) {
      try {
        const latest = await sink.latestStatuses();
        this.previous = new Map(latest);
        this.health = initialHealthState(componentMemory(latest));
      } catch (e) {
        this.log("error", `[runtime] could not read previous statuses from the control store: ${(e as Error).message}`);
      }
    }
    this.scheduler.start(this.units);
    this.startWatchers();
    // Evaluate at least every second even without results, so a silent unit turns STALE on time.
    this.timers.push(setInterval(() => this.scheduleEvaluate(), 1000));
    if (sink) {
      this.timers.push(setInterval(() => void this.flushSamples(), 1000));
      this.timers.push(setInterval(() => void this.guard("heartbeat", sink.heartbeat(this.instanceId, this.startedAt, this.now())), 5000));
      this.timers.push(setInterval(() => void this.guard("maintenance", sink.maintain(this.now())), 60_000));
      void this.guard("heartbeat", sink.heartbeat(this.instanceId, this.startedAt, this.now()));
    }
    this.log("info", `[runtime] polling ${this.units.length} units (instance ${this.instanceId.slice(0, 8)})`);
  }

  async stop(): Promise<void> {
    this.running = false;
    this.scheduler.stop();
    for (const w of this.watchers) w.close();
    for (const t of this.timers) clearInterval(t);
    clearTimeout(this.evalTimer);
    await this.flushSamples();
  }

  current(): Snapshot {
    return this.snapshot;
  }

  /** Called with every new snapshot; returns an unsubscribe function. */
  subscribe(fn: (s: Snapshot) => void): () => void {
    this.subscribers.add(fn);
    return () => this.subscribers.delete(fn);
  }

  private log(level: "debug" | "info" | "error", line: string) {
    this.opts.log?.(level, line);
  }

  private async guard(what: string, p: Promise<unknown>) {
    try {
      await p;
    } catch (e) {
      this.log("error", `[runtime] control store ${what} failed: ${(e as Error).message}`);
    }
  }

  private startWatchers() {
    for (const unit of this.units) {
      const w = watchUnit(unit, (e) => this.onPush(e));
      if (w) this.watchers.push(w);
    }
  }

  /** A component said something changed: record it and probe everything that depends on it at once. */
  private onPush(e: PushEvent) {
    this.events.unshift({ at: e.at, targetId: e.targetId, source: e.source, type: e.type, message: e.message });
    this.events.length = Math.min(this.events.length, MAX_EVENTS);
    if (this.opts.sink) void this.guard("events", this.opts.sink.recordEvents([e]));
    const affected = new Set([e.targetId, ...this.opts.config.marketData.filter((m) => m.redis === e.targetId).map((m) => m.id)]);
    this.scheduler.trigger((u) => affected.has(u.targetId) || u.kind === "redis");
    this.scheduleEvaluate();
  }

  private onResult(unit: ProbeUnit, result: Reading | ProbeFailure, at: number) {
    this.observations.set(unit.key, { unitKey: unit.key, kind: unit.kind, targetId: unit.targetId, node: unit.node, component: unit.component, at, result });
    this.collectSamples(unit, result, at);
    this.scheduleEvaluate();
  }

  private collectSamples(unit: ProbeUnit, result: Reading | ProbeFailure, at: number) {
    if (!this.opts.sink) return;
    this.samples.push({ ts: at, subject: unit.key, metric: "probe_latency_ms", value: result.latencyMs });
    // A failure the scheduler reported itself carries no kind and no data.
    if (!("kind" in result)) return;
    for (const s of samplesOf(result, unit)) this.samples.push({ ts: at, ...s });
  }

  private async flushSamples() {
    const sink = this.opts.sink;
    if (!sink || this.samples.length === 0) return;
    const batch = this.samples;
    this.samples = [];
    await this.guard("samples", sink.recordSamples(batch));
  }

  private scheduleEvaluate() {
    if (!this.running || this.evalTimer) return;
    const wait = Math.max(0, (this.opts.evaluateEveryMs ?? 100) - (performance.now() - this.lastEvalAt));
    this.evalTimer = setTimeout(() => {
      this.evalTimer = undefined;
      this.lastEvalAt = performance.now();
      this.evaluateNow();
    }, wait);
  }

  private evaluateNow() {
    const now = this.now();
    const { verdict, state } = evaluate(this.opts.config, [...this.observations.values()], this.health, now);
    this.health = state;
    this.verdict = verdict;
    this.recordTransitions(verdict, now);
    this.snapshot = this.buildSnapshot(this.snapshot.version + 1);
    for (const fn of this.subscribers) {
      try {
        fn(this.snapshot);
      } catch (e) {
        this.log("error", `[runtime] subscriber failed: ${(e as Error).message}`);
      }
    }
  }

  /**
   * Confirmed status changes of units, components and the overall verdict become stored transitions,
   * dated when the change began (the evaluator backdates a confirmed change to the first probe of its
   * streak). Clamped so a subject's transitions stay in order and inside this run.
   */
  private recordTransitions(v: Verdict, now: number) {
    const rows: TransitionRecord[] = [];
    const see = (subject: string, status: TransitionStatus, reason: string | null, since: number | null) => {
      const before = this.previous.get(subject);
      if (before?.status === status) return;
      const at = Math.max(Math.min(now, since ?? now), before?.at ?? -Infinity, this.startedAt);
      this.previous.set(subject, { status, at });
      rows.push({ at, subject, fromStatus: before?.status ?? "NO_DATA", toStatus: status, reason, confirmedAt: now });
      const late = now - at > 0 ? ` [began ${now - at} ms before confirmation]` : "";
      this.log("info", `[runtime] ${subject}: ${before?.status ?? "NO_DATA"} -> ${status}${reason ? ` (${reason})` : ""}${late}`);
    };
    for (const u of v.units) see(u.key, u.status, u.reason, u.since);
    for (const c of v.components) see(componentSubject(c.id), c.status, c.reasons[0] ?? null, c.since);
    see("overall", v.overall, v.reasons[0] ?? null, v.since);
    // Confirmed findings too (DOWN while CRITICAL, UP once gone): an incident's class reads them.
    const critical = new Map(v.findings.filter((f) => f.severity === "CRITICAL").map((f) => [findingSubject(f.id), f]));
    for (const [subject, f] of critical) see(subject, "DOWN", f.title, f.since);
    const gone = [...this.previous].filter(([subject, t]) => subject.startsWith(FINDING_PREFIX) && t.status === "DOWN" && !critical.has(subject));
    for (const [subject] of gone) see(subject, "UP", "no longer seen", now);
    if (rows.length && this.opts.sink) void this.guard("transitions", this.opts.sink.recordTransitions(rows, this.instanceId));
  }

  private buildSnapshot(version: number): Snapshot {
    const v = this.verdict;
    const health = new Map(v?.units.map((u) => [u.key, u]) ?? []);
    const statusOf = (key: string): Status => health.get(key)?.status ?? "NO_DATA";
    const units = this.units.map<UnitSnapshot>((u) => {
      const h = health.get(u.key);
      const obs = this.observations.get(u.key);
      return {
        key: u.key,
        kind: u.kind,
        targetId: u.targetId,
        node: u.node,
        component: u.component,
        label: u.label,
        status: h?.status ?? "NO_DATA",
        raw: h?.raw ?? "NO_DATA",
        suspect: h?.suspect ?? null,
        since: h?.since ?? null,
        reason: h?.reason ?? (obs && !obs.result.ok ? obs.result.error : null),
        latencyMs: obs?.result.latencyMs ?? null,
        lastProbeAt: obs?.at ?? null,
        data: obs?.result.data ?? null,
      };
    });
    const snapshot: Snapshot = {
      version,
      at: this.now(),
      title: this.opts.config.title,
      overall: { status: v?.overall ?? "DEGRADED", reasons: v?.reasons ?? ["starting: no probe has answered yet"] },
      components: v?.components ?? [],
      findings: v?.findings ?? [],
      units,
      clusters: buildClusterViews(this.opts.config, (k) => this.observations.get(k)?.result, statusOf),
      events: [...this.events],
      monitor: { startedAt: this.startedAt, units: this.units.length, lastEvaluationAt: v ? this.now() : null },
    };
    // Belt and braces: a peer could echo a credential back in a body we keep.
    return redactDeep(snapshot, this.secrets);
  }
}

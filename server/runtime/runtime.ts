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
import type { AlertEvent, AlertSpec } from "@/lib/alerts";
import { applyAlertEvents, deriveAlerts, diffAlerts, expiredAlertEvents, isDerived } from "@/server/alerting/derive";
import type { SlaAlertFigures } from "@/server/alerting/burn";
import { buildClusterViews } from "./views";

/**
 * The server's live state: polls every unit (Scheduler), judges it (health evaluator), keeps the latest
 * snapshot for pages, pushes changes to subscribers, and hands transitions, samples and events to the
 * control store. One per server process (see ./index.ts).
 */

export type { SampleRecord, TransitionRecord };

/** What the runtime needs of the control store; null runs without persistence (tests, a broken store). */
export interface RuntimeSink {
  /**
   * The transitions and the alert changes they cause, in one transaction: both commit or neither.
   * Alert events with no transition (burn, self, an expiry) are written alone.
   */
  recordTransitions(rows: TransitionRecord[], instanceId: string, alerts: readonly AlertEvent[]): Promise<void>;
  recordSamples(rows: SampleRecord[]): Promise<void>;
  recordEvents(rows: PushEvent[]): Promise<void>;
  heartbeat(instanceId: string, startedAt: number, now: number): Promise<void>;
  /** The last stored transition of every subject: its status and when it began. */
  latestStatuses(): Promise<Map<string, { status: TransitionStatus; at: number }>>;
  maintain(now: number): Promise<void>;
  /** Alerting (with `alerting:` in the config); a sink without it records no alerts. */
  alerts?: {
    /** Alerts not resolved, of every source. */
    active(): Promise<(AlertSpec & { fingerprint: string })[]>;
    /** The SLA burn and budget figures at `now` (store reads). */
    slaFigures(config: Config, now: number): Promise<SlaAlertFigures>;
  };
}

export interface RuntimeOptions {
  config: Config;
  sink?: RuntimeSink | null;
  now?: () => number;
  log?: (level: "debug" | "info" | "error", line: string) => void;
  scheduler?: SchedulerOptions;
  /** Coalesce evaluations: at most one per this many ms. */
  evaluateEveryMs?: number;
  /** Self alerts, the Watchdog and one-shot expiries are looked at this often (default 5 s). */
  alertEveryMs?: number;
}

const MAX_EVENTS = 100;
/** Self alerts, the Watchdog and one-shot expiries are looked at this often, evaluations or not. */
const ALERT_TICK_MS = 5_000;
/** Burn figures read the store: once a minute is enough for windows of 5 minutes and more. */
const SLA_FIGURES_EVERY_MS = 60_000;
/** The feed is stale after this long without an evaluation or a probe result (more for slow units). */
const FEED_STALE_MS = 15_000;
/** After a failed read of the firing alerts, the next try waits this long. */
const ALERT_READ_RETRY_MS = 5_000;

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
  /** The derived alerts firing in the store, by fingerprint; null until read (again after a failed write). */
  private alertsActive: Map<string, AlertSpec> | null = null;
  private slaFigures: SlaAlertFigures | null = null;
  /** Store writes run one after another, so the outbox holds an alert's changes in the order decided. */
  private writes: Promise<void> = Promise.resolve();
  private storeErrors: number[] = [];
  private lastResultAt: number | null = null;
  private lastEvaluatedAt: number | null = null;
  private warmedUp = false;
  private diffPending = false;
  private sweepPending = false;
  private alertsRetryAt = 0;

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
      if (this.alerting()) {
        this.timers.push(setInterval(() => this.alertTick(), this.opts.alertEveryMs ?? ALERT_TICK_MS));
        this.timers.push(setInterval(() => void this.readSlaFigures(), SLA_FIGURES_EVERY_MS));
        void this.readSlaFigures();
      }
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
    await this.writes;
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

  private async guard(what: string, p: Promise<unknown>): Promise<boolean> {
    try {
      await p;
      return true;
    } catch (e) {
      this.storeFailed(what, e);
      return false;
    }
  }

  private storeFailed(what: string, e: unknown) {
    const now = this.now();
    this.storeErrors = [...this.storeErrors.filter((t) => t > now - 60_000), now];
    this.log("error", `[runtime] control store ${what} failed: ${(e as Error).message}`);
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
    this.lastResultAt = at;
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
    this.lastEvaluatedAt = now;
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
    this.persist(rows, now);
  }

  // ---------------------------------------------------------------- alerts

  private alerting() {
    return this.opts.config.alerting && this.opts.sink?.alerts ? this.opts.config.alerting : undefined;
  }

  /**
   * Queues the transitions with the alert changes of this moment (diffed against what the store
   * holds as firing), as one write after the ones before it. A failed write loses the transitions, as
   * before; the alerts are read back from the store before the next diff, and since they are derived
   * from state, the next evaluation owes the store whatever that write would have said.
   */
  private persist(rows: TransitionRecord[], now: number) {
    const sink = this.opts.sink;
    if (!sink) return;
    if (!this.alerting()) {
      if (rows.length) void this.guard("transitions", sink.recordTransitions(rows, this.instanceId, []));
      return;
    }
    // A pending diff will see the latest state: with no transitions to carry, one in the queue is enough.
    if (rows.length === 0 && this.diffPending) return;
    this.diffPending = true;
    this.queueWrite(async () => {
      this.diffPending = false;
      let events: AlertEvent[] = [];
      if (await this.loadAlerts(now)) {
        events = diffAlerts(this.alertsActive!, this.desiredAlerts(now, this.alertsActive!), now);
        applyAlertEvents(this.alertsActive!, events);
      }
      if (rows.length === 0 && events.length === 0) return;
      const ok = await this.guard(events.length ? "transitions and alerts" : "transitions", sink.recordTransitions(rows, this.instanceId, events));
      if (!ok && events.length) this.alertsActive = null;
    });
  }

  /** Runs `job` after the writes queued before it; a job that throws (a bug) does not stop the queue. */
  private queueWrite(job: () => Promise<void>) {
    this.writes = this.writes.then(job).catch((e: unknown) => this.log("error", `[runtime] alert bookkeeping failed: ${e instanceof Error ? e.message : String(e)}`));
  }

  /**
   * The derived alerts firing in the store; false when they cannot be read (the diff waits, and the
   * read is retried after a pause, so a store that is down does not hold up every evaluation's write).
   */
  private async loadAlerts(now: number): Promise<boolean> {
    if (this.alertsActive) return true;
    if (now < this.alertsRetryAt) return false;
    const active = await this.opts.sink?.alerts?.active().catch((e: unknown) => void this.storeFailed("alerts read", e));
    if (!active) {
      this.alertsRetryAt = now + ALERT_READ_RETRY_MS;
      return false;
    }
    this.alertsActive = new Map(active.filter((a) => isDerived(a.source)).map((a) => [a.fingerprint, a]));
    return true;
  }

  private desiredAlerts(now: number, active: ReadonlyMap<string, AlertSpec>): AlertSpec[] {
    const settings = this.alerting()!;
    return deriveAlerts({
      now,
      verdict: this.warm(now) ? (this.verdict ?? null) : null,
      sla: this.slaFigures,
      self: {
        startedAt: this.startedAt,
        lastEvaluationAt: this.lastEvaluatedAt,
        lastResultAt: this.lastResultAt,
        staleAfterMs: this.staleAfterMs(),
        lateness: this.scheduler.recentLateness(60_000),
        storeErrors: this.storeErrors.filter((t) => t > now - 60_000).length,
      },
      watchdog: settings.watchdog,
      burnMinKnownPercent: settings.burnMinKnownPercent,
      active,
    });
  }

  /**
   * Every unit has a confirmed status (a fault needs `fall` probes after a start), or the feed's
   * stale limit has passed since the start. Once warm, always warm.
   */
  private warm(now: number): boolean {
    this.warmedUp ||= (this.verdict?.units.every((u) => u.status !== "NO_DATA") ?? false) || now - this.startedAt > this.staleAfterMs();
    return this.warmedUp;
  }

  private staleAfterMs(): number {
    return Math.max(FEED_STALE_MS, 3 * Math.max(0, ...this.units.map((u) => u.intervalMs)));
  }

  /** Between evaluations: self alerts and the Watchdog (a stalled feed is seen here), and expiries. */
  private alertTick() {
    if (!this.running) return;
    const now = this.now();
    this.persist([], now);
    const sink = this.opts.sink;
    if (!sink?.alerts || this.sweepPending) return;
    this.sweepPending = true;
    this.queueWrite(async () => {
      this.sweepPending = false;
      const active = await sink.alerts!.active().catch((e: unknown) => void this.storeFailed("alerts read", e));
      const expired = active ? expiredAlertEvents(active, now) : [];
      if (expired.length) await this.guard("alert expiry", sink.recordTransitions([], this.instanceId, expired));
    });
  }

  private async readSlaFigures() {
    const sink = this.opts.sink;
    if (!sink?.alerts || !this.running) return;
    try {
      this.slaFigures = await sink.alerts.slaFigures(this.opts.config, this.now());
    } catch (e) {
      this.storeFailed("SLA figures read", e);
    }
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

import type { ComponentHealth, Finding, Overall, UnitHealth, Verdict } from "@/lib/health";
import type { Status } from "@/lib/status";
import { rollupComponent, type RollupUnit } from "./components";
import { checkConsistency } from "./consistency";
import { step, viewAt, type UnitMemory } from "./hysteresis";
import { judge } from "./verdict";
import { DEFAULT_CORE_COMPONENTS, overallOf } from "./overall";
import { unitPlan, type UnitDef } from "./units";
import type { HealthConfig, Observation } from "./types";

/**
 * evaluate(config, observations, prev, now) → { verdict, state }: judge each new observation,
 * run it through its unit's hysteresis, check the layers against each other, roll up to components
 * and the overall verdict. Pure and deterministic: the clock is `now`, the memory is `prev`.
 */

interface UnitState {
  memory: UnitMemory;
  /** The latest observation counted. */
  latest: Observation;
  /** The latest observation that carried data (who is leader / master survives a failed probe). */
  withData: Observation | null;
  /** What the unit showed at the previous evaluation, to tell which units changed in this one. */
  shown?: { status: Status; since: number | null };
}

/** A component's confirmed status and when it began. */
export interface ComponentMemory {
  status: Status;
  since: number;
  /**
   * While a component is NO_DATA (nothing confirmed yet, e.g. right after a restart), the last known
   * status and its start: if the same status is confirmed again, its incident keeps its duration.
   */
  held?: { status: Status; since: number };
}

/** The evaluator's memory between calls. Plain data: safe to keep, copy or serialise. */
export interface HealthState {
  units: Readonly<Record<string, UnitState>>;
  /** Finding id → epoch ms it was first seen (continuously since). */
  findings: Readonly<Record<string, number>>;
  /** Component id → its confirmed status and the time of its last transition. */
  components: Readonly<Record<string, ComponentMemory>>;
  /** The overall verdict and when it began (absent before the first evaluation). */
  overall?: { status: Overall; since: number };
  /** `now` of the previous evaluation. */
  evaluatedAt?: number;
}

/**
 * An empty memory, or one that knows each component's last recorded transition (from the control
 * store after a restart), so an incident's duration survives a dashboard restart.
 */
export function initialHealthState(components: Readonly<Record<string, ComponentMemory>> = {}): HealthState {
  return { units: {}, findings: {}, components };
}

export interface EvaluateOptions {
  /** Components whose DOWN makes the overall verdict CRITICAL (default: trading-engine, database, cache). */
  coreComponents?: readonly string[];
  /** A unit with no result for this many intervals is STALE (default 3). */
  gapIntervals?: number;
  /** Cross-layer checks ignore observations older than this many of their unit's intervals (default 2). */
  freshIntervals?: number;
  /**
   * A finding is CRITICAL once it has lasted this long, a WARNING before (default (fall − 1) × the
   * default interval: seen on `fall` consecutive probes). A switchover briefly shows two HAProxy
   * servers UP and a leader still in recovery; 0 reports every finding CRITICAL at once.
   */
  findingConfirmMs?: number;
}

const hasData = (o: Observation) => o.result.ok || o.result.data !== undefined;

function toHealth(def: UnitDef, st: UnitState | undefined, now: number, config: HealthConfig, gapIntervals: number): UnitHealth {
  const v = viewAt(st?.memory, now, { ...config.defaults, intervalMs: def.intervalMs, gapMs: gapIntervals * def.intervalMs });
  return {
    key: def.key,
    kind: def.kind,
    targetId: def.targetId,
    ...(def.node !== undefined ? { node: def.node } : {}),
    component: def.component,
    status: v.status,
    raw: v.raw,
    suspect: v.suspect,
    since: v.since,
    reason: v.reason,
    latencyMs: st ? st.latest.result.latencyMs : null,
    lastProbeAt: st ? st.latest.at : null,
  };
}

/**
 * `observations` may be the latest of each unit (re-sent every call) or only the new ones: an
 * observation not newer than the last one counted for its unit is ignored, so each probe counts once
 * towards hysteresis however often evaluate runs. Observations of units not in the config are ignored.
 */
export function evaluate(
  config: HealthConfig,
  observations: readonly Observation[],
  prev: HealthState,
  now: number,
  options: EvaluateOptions = {},
): { verdict: Verdict; state: HealthState } {
  const gapIntervals = options.gapIntervals ?? 3;
  const freshIntervals = options.freshIntervals ?? 2;
  const confirmMs = options.findingConfirmMs ?? (config.defaults.fall - 1) * config.defaults.intervalMs;
  const { defs, byKey: defByKey, clusters } = unitPlan(config);

  const incoming = new Map<string, Observation[]>();
  for (const o of observations) {
    if (!defByKey.has(o.unitKey)) continue;
    const list = incoming.get(o.unitKey);
    if (list) list.push(o);
    else incoming.set(o.unitKey, [o]);
  }

  const units: Record<string, UnitState> = {};
  for (const def of defs) {
    let st = prev.units[def.key];
    const news = incoming.get(def.key);
    if (news) {
      const sorted = news.length > 1 ? [...news].sort((a, b) => a.at - b.at) : news;
      for (const o of sorted) {
        if (st && o.at <= st.memory.lastAt) continue;
        const memory = step(st?.memory, judge(o, def.judge), o.at, { ...config.defaults, gapMs: gapIntervals * def.intervalMs }, o.at - o.result.latencyMs);
        st = { memory, latest: o, withData: hasData(o) ? o : (st?.withData ?? null) };
      }
    }
    if (st) units[def.key] = st;
  }

  // Cross-layer findings, from fresh observations only; held as WARNING until they persist.
  const raw = checkConsistency({
    observations: Object.values(units).map((u) => u.latest),
    now,
    maxAgeMs: (o) => freshIntervals * (defByKey.get(o.unitKey)?.intervalMs ?? config.defaults.intervalMs),
    clusters,
  });
  const firstSeen: Record<string, number> = {};
  const findings: Finding[] = raw.map((f) => {
    const since = prev.findings[f.id] ?? now;
    firstSeen[f.id] = since;
    return { ...f, since, severity: now - since >= confirmMs ? "CRITICAL" : "WARNING" };
  });

  const health = defs.map((d) => toHealth(d, units[d.key], now, config, gapIntervals));
  // What changed in this evaluation dates the roll-ups that change with it (see `changedSince`).
  const changedUnits = new Set<string>();
  defs.forEach((d, i) => {
    const st = units[d.key];
    if (!st) return;
    const h = health[i]!;
    if (st.shown?.status !== h.status || st.shown.since !== h.since) changedUnits.add(d.key);
    units[d.key] = { ...st, shown: { status: h.status, since: h.since } };
  });
  const wasCritical = (f: Finding) => prev.evaluatedAt !== undefined && prev.findings[f.id] !== undefined && prev.evaluatedAt - f.since >= confirmMs;
  const newlyCritical = findings.filter((f) => f.severity === "CRITICAL" && !wasCritical(f));
  const rollup = new Map<string, RollupUnit[]>();
  defs.forEach((d, i) => {
    const u: RollupUnit = { health: health[i]!, address: d.address, data: units[d.key]?.withData?.result.data };
    const list = rollup.get(d.component);
    if (list) list.push(u);
    else rollup.set(d.component, [u]);
  });
  const memory: Record<string, ComponentMemory> = {};
  const components = config.components.map<ComponentHealth>((c) => {
    const parts = rollup.get(c.id) ?? [];
    const r = rollupComponent(c, parts, findings);
    const before = prev.components[c.id];
    const known = before?.status === "NO_DATA" ? before.held : before;
    if (r.status === "NO_DATA") {
      const since = before?.status === "NO_DATA" ? before.since : now;
      memory[c.id] = { status: r.status, since, ...(known ? { held: { status: known.status, since: known.since } } : {}) };
      return { ...r, since };
    }
    const keys = new Set(parts.map((u) => u.health.key));
    const causes = [
      ...parts.filter((u) => changedUnits.has(u.health.key)).map((u) => u.health.since),
      ...newlyCritical.filter((f) => f.subjects.some((k) => keys.has(k))).map((f) => f.since),
    ];
    const since = before?.status === r.status ? before.since : known?.status === r.status ? known.since : changedSince(causes, before?.since, now);
    memory[c.id] = { status: r.status, since };
    return { ...r, since };
  });
  const { overall, reasons } = overallOf(components, findings, options.coreComponents ?? DEFAULT_CORE_COMPONENTS);
  const changedComponents = components.filter((c) => {
    const before = prev.components[c.id];
    return c.unitKeys.length > 0 && (before?.status !== c.status || before.since !== c.since);
  });
  const overallSince =
    prev.overall?.status === overall
      ? prev.overall.since
      : changedSince([...changedComponents.map((c) => c.since), ...newlyCritical.map((f) => f.since)], prev.overall?.since, now);

  return {
    verdict: { overall, since: overallSince, reasons, components, units: health, findings },
    state: { units, findings: firstSeen, components: memory, overall: { status: overall, since: overallSince }, evaluatedAt: now },
  };
}

/**
 * When a roll-up's new status began: the latest start among the parts that changed in this evaluation
 * (units and components are already dated from the first probe of their confirming streak; a finding
 * from when it was first seen), else `now` (nothing below explains it, e.g. a new leader). Never before
 * the roll-up's previous change, never after `now`. Of several causes the latest is taken: a roll-up
 * changes with its last cause.
 */
function changedSince(causes: readonly (number | null)[], previous: number | undefined, now: number): number {
  let since: number | null = null;
  for (const t of causes) if (t !== null && (since === null || t > since)) since = t;
  if (since === null) return now;
  return Math.min(now, Math.max(since, previous ?? -Infinity));
}

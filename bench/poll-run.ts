/**
 * One measured run of `npm run bench:poll`: the dashboard side. Forked by bench/poll.ts in a fresh
 * process per (N, hung share) so that CPU, RSS and the keep-alive pools of one run do not leak into
 * the next. Runs the real Scheduler with the real HTTP and TCP collectors against the fleet.
 *
 * Needs `--import tsx --import ./bench/server-only-shim.mjs` (bench/poll.ts passes them).
 */
import { monitorEventLoopDelay, performance, PerformanceObserver } from "node:perf_hooks";
import { probeHttp } from "@/server/collectors/http";
import { closeTcpConnections, probeTcp } from "@/server/collectors/tcp";
import type { HttpTarget, ProbeResult, TcpTarget } from "@/server/collectors/types";
import { parseConfig } from "@/server/config/load";
import { Scheduler, type ProbeFn } from "@/server/scheduler/scheduler";
import { unitsFromConfig, type ProbeUnit } from "@/server/scheduler/units";

export interface RunTarget {
  id: string;
  kind: "http" | "tcp";
  /** http: the URL; tcp: host:port. */
  endpoint: string;
  hung: boolean;
  /** Not hung in the run with the most hung targets: the set compared across runs. */
  compare: boolean;
}

export interface RunRequest {
  type: "run";
  targets: RunTarget[];
  intervalMs: number;
  timeoutMs: number;
  warmupMs: number;
  windowMs: number;
}

export interface Percentiles {
  n: number;
  p50: number | null;
  p99: number | null;
  max: number | null;
}

export interface RunResult {
  units: number;
  hungUnits: number;
  windowS: number;
  /** Probes started in the window (Scheduler.takeStats), per second. */
  probesPerS: number;
  /** Results received in the window, per second (differs from starts by what was in flight at either end). */
  results: number;
  resultsPerS: number;
  /** Probes of units that are not hung started per second, and expected (one per unit per interval). */
  healthyProbesPerS: number;
  healthyExpectedPerS: number;
  /** From Scheduler.takeStats(): start lateness of every probe started in the window, ms. */
  lateness: Percentiles;
  /** Start lateness of the compared (never-hung) units only, ms. */
  latenessCompared: Percentiles;
  /** Collector latency of the compared units' results, ms. */
  latencyCompared: Percentiles;
  latencyComparedHttp: Percentiles;
  latencyComparedTcp: Percentiles;
  /** Failed results: all, and among units that are not hung (should be 0). */
  failed: number;
  failedHealthy: number;
  /** The most frequent failure reasons of units that are not hung. */
  healthyErrors: Record<string, number>;
  maxInFlight: number;
  cpuPct: number;
  cpuUserPct: number;
  cpuSystemPct: number;
  rssMaxMb: number;
  heapUsedMaxMb: number;
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
  eventLoopUtilization: number;
  /** Main-thread garbage-collection pauses in the window, as % of the wall time, and how many. */
  gcPct: number;
  gcCount: number;
}

export type RunMessage = { type: "window-start" } | { type: "window-end" } | { type: "result"; result: RunResult } | { type: "error"; message: string };

function percentiles(values: number[], sorted = false): Percentiles {
  if (values.length === 0) return { n: 0, p50: null, p99: null, max: null };
  const v = sorted ? values : [...values].sort((a, b) => a - b);
  const at = (p: number) => round(v[Math.min(v.length - 1, Math.floor(p * v.length))]!);
  return { n: v.length, p50: at(0.5), p99: at(0.99), max: round(v[v.length - 1]!) };
}

const LOOP_RESOLUTION_MS = 10;
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const send = (m: RunMessage) => process.send?.(m);

/** Units exactly as the server builds them: through the config loader and unitsFromConfig. */
function unitsFor(req: RunRequest): ProbeUnit[] {
  const doc = {
    version: 1,
    defaults: { intervalMs: req.intervalMs, timeoutMs: req.timeoutMs },
    http: req.targets.filter((t) => t.kind === "http").map((t) => ({ id: t.id, component: "trading-engine", url: t.endpoint })),
    tcp: req.targets.filter((t) => t.kind === "tcp").map((t) => ({ id: t.id, component: "network", address: t.endpoint, send: `PING ${t.id}\r\n`, expect: "PONG" })),
  };
  // JSON is YAML.
  return unitsFromConfig(parseConfig(JSON.stringify(doc), "bench/poll (generated)"));
}

/** Memory, GC pauses and event-loop delay of this process over the measured window. */
function startResourceSampling() {
  let rssMax = 0;
  let heapMax = 0;
  const sampleMemory = () => {
    const m = process.memoryUsage();
    rssMax = Math.max(rssMax, m.rss);
    heapMax = Math.max(heapMax, m.heapUsed);
  };
  const loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  loopDelay.enable();
  const memTimer = setInterval(sampleMemory, 200);
  let gcMs = 0;
  let gcCount = 0;
  const gcObserver = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gcMs += e.duration;
      gcCount++;
    }
  });
  gcObserver.observe({ entryTypes: ["gc"] });
  return {
    stop() {
      clearInterval(memTimer);
      gcObserver.disconnect();
      sampleMemory();
      loopDelay.disable();
      return { rssMax, heapMax, gcMs, gcCount, loopDelay };
    },
  };
}

/** What the window counted, fed by the scheduler's probe and onResult hooks. */
interface Counts {
  latencies: { http: number[]; tcp: number[] };
  latenessCompared: number[];
  results: number;
  healthyStarts: number;
  failed: number;
  failedHealthy: number;
  healthyErrors: Map<string, number>;
}

const newCounts = (): Counts => ({ latencies: { http: [], tcp: [] }, latenessCompared: [], results: 0, healthyStarts: 0, failed: 0, failedHealthy: 0, healthyErrors: new Map() });

interface WindowFigures {
  units: number;
  wallMs: number;
  lateness: number[];
  maxInFlight: number;
  cpu: NodeJS.CpuUsage;
  elu: ReturnType<typeof performance.eventLoopUtilization>;
  resources: ReturnType<ReturnType<typeof startResourceSampling>["stop"]>;
}

function runResult(req: RunRequest, c: Counts, w: WindowFigures): RunResult {
  const windowS = w.wallMs / 1000;
  const hungUnits = req.targets.filter((t) => t.hung).length;
  const top = [...c.healthyErrors.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5);
  return {
    units: w.units,
    hungUnits,
    windowS: round(windowS, 2),
    probesPerS: round(w.lateness.length / windowS),
    results: c.results,
    resultsPerS: round(c.results / windowS),
    healthyProbesPerS: round(c.healthyStarts / windowS),
    healthyExpectedPerS: round(((w.units - hungUnits) * 1000) / req.intervalMs),
    lateness: percentiles(w.lateness),
    latenessCompared: percentiles(c.latenessCompared),
    latencyCompared: percentiles([...c.latencies.http, ...c.latencies.tcp]),
    latencyComparedHttp: percentiles(c.latencies.http),
    latencyComparedTcp: percentiles(c.latencies.tcp),
    failed: c.failed,
    failedHealthy: c.failedHealthy,
    healthyErrors: Object.fromEntries(top),
    maxInFlight: w.maxInFlight,
    cpuPct: round(((w.cpu.user + w.cpu.system) / 1000 / w.wallMs) * 100),
    cpuUserPct: round((w.cpu.user / 1000 / w.wallMs) * 100),
    cpuSystemPct: round((w.cpu.system / 1000 / w.wallMs) * 100),
    rssMaxMb: round(w.resources.rssMax / 2 ** 20),
    heapUsedMaxMb: round(w.resources.heapMax / 2 ** 20),
    // The histogram holds the whole sampling period; what is beyond it is the delay.
    eventLoopDelayP99Ms: round(Math.max(0, w.resources.loopDelay.percentile(99) / 1e6 - LOOP_RESOLUTION_MS)),
    eventLoopDelayMaxMs: round(Math.max(0, w.resources.loopDelay.max / 1e6 - LOOP_RESOLUTION_MS)),
    eventLoopUtilization: round(w.elu.utilization, 3),
    gcPct: round((w.resources.gcMs / w.wallMs) * 100),
    gcCount: w.resources.gcCount,
  };
}

async function run(req: RunRequest): Promise<RunResult> {
  const byId = new Map(req.targets.map((t) => [t.id, t]));
  const units = unitsFor(req);
  let measuring = false;

  const c = newCounts();

  const collectors: Record<string, (target: never, signal: AbortSignal) => Promise<ProbeResult<unknown>>> = {
    http: (t: HttpTarget, s) => probeHttp(t, s),
    tcp: (t: TcpTarget, s) => probeTcp(t, s),
  };
  // Scheduler.fire() records the start lateness and then calls the probe synchronously, so the last
  // entry of its (private) window is this probe's lateness. Read-only, bench-only: it tells the
  // lateness of the never-hung units apart from that of the hung ones.
  let scheduler: Scheduler | undefined = undefined;
  const lastLateness = (): number | undefined => {
    const l = (scheduler as unknown as { window?: { lateness?: number[] } } | undefined)?.window?.lateness;
    return l && l.length > 0 ? l[l.length - 1] : undefined;
  };
  const probe: ProbeFn = (unit, signal) => {
    const t = measuring ? byId.get(unit.targetId) : undefined;
    if (t && !t.hung) c.healthyStarts++;
    if (t?.compare) {
      const late = lastLateness();
      if (late !== undefined) c.latenessCompared.push(late);
    }
    return collectors[unit.kind]!(unit.target as never, signal);
  };

  scheduler = new Scheduler(
    {
      probe,
      onResult: (unit, result) => {
        if (!measuring) return;
        const t = byId.get(unit.targetId)!;
        c.results++;
        if (!result.ok) c.failed++;
        if (t.hung) return;
        if (!result.ok) {
          c.failedHealthy++;
          const reason = `${t.kind}: ${result.error}`.replace(/\d+ ms/, "N ms");
          c.healthyErrors.set(reason, (c.healthyErrors.get(reason) ?? 0) + 1);
        }
        if (t.compare) c.latencies[t.kind].push(result.latencyMs);
      },
      log: (level, line) => {
        if (level === "error") console.error(line);
      },
    },
    // No periodic summary: it would call takeStats() and steal the window's figures.
    { summaryEveryMs: 2 ** 30 },
  );

  scheduler.start(units);
  await sleep(req.warmupMs);

  // The window.
  scheduler.takeStats();
  const lateness: number[] = [];
  let maxInFlight = 0;
  const resources = startResourceSampling();
  const statsTimer = setInterval(() => {
    const s = scheduler.takeStats();
    maxInFlight = Math.max(maxInFlight, s.inFlight);
    for (const l of s.lateness) lateness.push(l);
  }, 1000);
  send({ type: "window-start" });
  measuring = true;
  const elu0 = performance.eventLoopUtilization();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();

  await sleep(req.windowMs);

  const cpu = process.cpuUsage(cpu0);
  const wallMs = performance.now() - t0;
  const elu = performance.eventLoopUtilization(elu0);
  measuring = false;
  send({ type: "window-end" });
  const sampled = resources.stop();
  clearInterval(statsTimer);
  const last = scheduler.takeStats();
  for (const l of last.lateness) lateness.push(l);
  scheduler.stop();
  closeTcpConnections();

  return runResult(req, c, { units: units.length, wallMs, lateness, maxInFlight, cpu, elu, resources: sampled });
}

process.once("message", (msg: RunRequest) => {
  run(msg).then(
    (result) => {
      // Exit once the result is sent: hung fetches and held sockets must not keep the run alive.
      process.send?.({ type: "result", result } satisfies RunMessage, () => process.exit(0));
    },
    (e: unknown) => {
      send({ type: "error", message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      process.exit(1);
    },
  );
});
if (!process.send) {
  console.error("bench/poll-run.ts is started by bench/poll.ts (it needs an IPC channel)");
  process.exit(2);
}

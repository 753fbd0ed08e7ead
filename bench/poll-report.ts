/** The poll benchmark's tables and verdicts: pure functions of the recorded runs (npm run bench:poll). */
import type { Percentiles, RunResult } from "./poll-run";

export interface RunRecord {
  n: number;
  hungPct: number;
  result: RunResult;
  fleetCpuPct: number;
  fleetAnswered: number;
  /** New connections the fleet accepted per second during the window (keep-alive reuse shows as few). */
  newConnectionsPerS: { http: number; tcp: number };
  /** Whole machine, all cores: percent of total CPU time busy during the window. */
  machineBusyPct: number | null;
  loadavgStart: number[];
  loadavgEnd: number[];
  /** At least 99 % of the expected healthy probes started, with start lateness p99 within a tenth of the interval. */
  keepsUp: boolean;
}

export const round1 = (x: number) => Math.round(x * 10) / 10;
export const f = (x: number | null | undefined) => (x === null || x === undefined ? "-" : String(x));
const triple = (p: Percentiles) => `${f(p.p50)} / ${f(p.p99)} / ${f(p.max)}`;
const pair = (p: Percentiles) => `${f(p.p50)} / ${f(p.p99)}`;
const delta = (a: number | null, b: number | null) => (a === null || b === null ? null : round1(b - a));
export const signed = (x: number | null) => (x === null ? "-" : `${x >= 0 ? "+" : ""}${x}`);

/** "No delay": the hung run's healthy p99 within this much of the clean run's (run-to-run noise on a shared machine). */
const NO_DELAY_TOLERANCE_MS = 5;
const HALF_A_CORE_PCT = 50;

export function runsTable(runs: RunRecord[]): string {
  const head =
    "| N | hung | keeps up | healthy probes/s (got / expected) | all probes/s | lateness p50 / p99 / max ms (all units) | lateness p99 ms (healthy) | healthy latency p50 / p99 ms (HTTP · TCP) | CPU % of a core (usr+sys) | RSS max MB | failed: healthy / all | loop delay p99 ms | GC % | new conns/s (HTTP · TCP) | fleet CPU % | machine busy % | load 1m |\n" +
    "|---:|---:|---|---|---:|---|---:|---|---|---:|---|---:|---:|---|---:|---:|---:|";
  const rows = runs.map((r) => {
    const x = r.result;
    return `| ${r.n} | ${r.hungPct}% | ${r.keepsUp ? "yes" : "NO"} | ${x.healthyProbesPerS} / ${x.healthyExpectedPerS} | ${x.probesPerS} | ${triple(x.lateness)} | ${f(x.latenessCompared.p99)} | ${pair(x.latencyComparedHttp)} · ${pair(x.latencyComparedTcp)} | ${x.cpuPct} (${x.cpuUserPct}+${x.cpuSystemPct}) | ${x.rssMaxMb} | ${x.failedHealthy} / ${x.failed} | ${x.eventLoopDelayP99Ms} | ${x.gcPct} | ${r.newConnectionsPerS.http} · ${r.newConnectionsPerS.tcp} | ${r.fleetCpuPct} | ${f(r.machineBusyPct)} | ${r.loadavgStart[0]}→${r.loadavgEnd[0]} |`;
  });
  return [head, ...rows].join("\n");
}

export interface HungImpact {
  n: number;
  hungPct: number;
  latencyP50DeltaMs: number | null;
  latencyP99DeltaMs: number | null;
  latenessP99DeltaMs: number | null;
  failedHealthy: number;
  /** null: not judged, because a run did not keep up (the process is saturated: every probe is late). */
  noDelay: boolean | null;
}

export function hungImpact(runs: RunRecord[], sizes: number[]): HungImpact[] {
  const out: HungImpact[] = [];
  for (const n of sizes) {
    const base = runs.find((r) => r.n === n && r.hungPct === 0);
    if (!base) continue;
    for (const r of runs.filter((x) => x.n === n && x.hungPct > 0)) {
      const d50 = delta(base.result.latencyCompared.p50, r.result.latencyCompared.p50);
      const d99 = delta(base.result.latencyCompared.p99, r.result.latencyCompared.p99);
      const dl99 = delta(base.result.latenessCompared.p99, r.result.latenessCompared.p99);
      const noDelay =
        base.keepsUp && r.keepsUp
          ? (d99 ?? Infinity) <= NO_DELAY_TOLERANCE_MS && (dl99 ?? Infinity) <= NO_DELAY_TOLERANCE_MS && r.result.failedHealthy === 0
          : null;
      out.push({ n, hungPct: r.hungPct, latencyP50DeltaMs: d50, latencyP99DeltaMs: d99, latenessP99DeltaMs: dl99, failedHealthy: r.result.failedHealthy, noDelay });
    }
  }
  return out;
}

export function impactTable(impacts: HungImpact[], runs: RunRecord[]): string {
  const head =
    "| N | hung | healthy latency p50 ms (0% → hung) | healthy latency p99 ms (0% → hung) | healthy lateness p99 ms (0% → hung) | healthy failures | no added delay (±" +
    NO_DELAY_TOLERANCE_MS +
    " ms) |\n|---:|---:|---|---|---|---:|---|";
  const rows = impacts.map((i) => {
    const base = runs.find((r) => r.n === i.n && r.hungPct === 0)!.result;
    const hung = runs.find((r) => r.n === i.n && r.hungPct === i.hungPct)!.result;
    return `| ${i.n} | ${i.hungPct}% | ${f(base.latencyCompared.p50)} → ${f(hung.latencyCompared.p50)} (${signed(i.latencyP50DeltaMs)}) | ${f(base.latencyCompared.p99)} → ${f(hung.latencyCompared.p99)} (${signed(i.latencyP99DeltaMs)}) | ${f(base.latenessCompared.p99)} → ${f(hung.latenessCompared.p99)} (${signed(i.latenessP99DeltaMs)}) | ${i.failedHealthy} | ${i.noDelay === null ? "n/a: saturated" : i.noDelay ? "yes" : "NO"} |`;
  });
  return [head, ...rows].join("\n");
}

export function targetChecks(runs: RunRecord[], impacts: HungImpact[]): { check: string; pass: boolean | null; detail: string }[] {
  const at1000 = runs.find((r) => r.n === 1000 && r.hungPct === 0);
  const checks: { check: string; pass: boolean | null; detail: string }[] = [];
  if (at1000) {
    const x = at1000.result;
    checks.push({
      check: "1,000 targets every second",
      pass: at1000.keepsUp && x.failedHealthy === 0,
      detail: `${x.healthyProbesPerS}/s of ${x.healthyExpectedPerS}/s, ${x.failedHealthy} failed, lateness p99 ${f(x.lateness.p99)} ms`,
    });
    checks.push({ check: "…on at most half a core", pass: x.cpuPct <= HALF_A_CORE_PCT, detail: `${x.cpuPct} % of one core` });
  } else {
    checks.push({ check: "1,000 targets every second on at most half a core", pass: null, detail: "not measured (run with --n including 1000 and --hung including 0)" });
  }
  for (const i of impacts) {
    checks.push({
      check: `N=${i.n}: ${i.hungPct}% hung targets add no delay`,
      pass: i.noDelay,
      detail:
        `healthy latency p99 ${signed(i.latencyP99DeltaMs)} ms, lateness p99 ${signed(i.latenessP99DeltaMs)} ms, ${i.failedHealthy} healthy failures` +
        (i.noDelay === null ? " (not judged: a run did not keep up)" : ""),
    });
  }
  return checks;
}

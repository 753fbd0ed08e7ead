/**
 * Truth under chaos (npm run chaos -- [scenario…] [--json]): for each scenario of the catalogue, inject the
 * fault into the lab, read the dashboard's overview API and the components' own tools every 250 ms at
 * the same moments, undo, and wait until both say the lab is healthy again. One table row per scenario:
 * first suspected, confirmed, whether the verdict agreed with the oracles (within 3 of the dashboard's
 * polls of the fault and of the recovery), recovered, the API's p99. Figures and every tick's summary go
 * to bench/results/chaos-<date>.json.
 *
 *   npm run chaos -- [pg-leader-kill redis …|prefix] [--json] [--list] [--port 3161] [--dist .next-bench] [--build] [--keep-up]
 * The npm script first brings the default build (.next-bench) up to date (--build-only, outside the lock, so
 * nobody waits on a `next build`), then holds /tmp/hacr-lab.lock for the whole run; the lab is brought up if
 * it is not (and taken down at the end unless --keep-up). The dashboard is a production `next start` of this
 * checkout. Inside a cycle that already holds the lock, call this file directly (a nested flock would wait
 * on itself).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { parse as parseYaml } from "yaml";
import type { Snapshot } from "../../lib/snapshot";
import * as lab from "../../e2e/lab/lab";
import { APP_DIR, ROOT, defaultConfig, ensureBuild, sleep, startNext } from "../next-server";
import { provenance, provenanceHeader, resultsFile } from "../provenance";
import { CATALOGUE, type Ctx, type Scenario } from "./catalogue";
import { overviewReader, signInViewerCookie, type OverviewRead } from "./dashboard";
import { analyse, dashboardDeviates, dashboardHealthy, markdownTable, verdictMisses, type Poll, type TableRow } from "./measure";
import { readWorld, worldHealthy, worldSummary, type World } from "./oracles";
import { rtoTable } from "./rto";

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    json: { type: "boolean", default: false },
    list: { type: "boolean", default: false },
    port: { type: "string", default: "3161" },
    dist: { type: "string", default: ".next-bench" },
    build: { type: "boolean", default: false },
    "keep-up": { type: "boolean", default: false },
    "build-only": { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});

const TICK_MS = 250;
/** Both sides must hold steady this long before a fault and to call a recovery done. */
const STEADY_MS = 3000;
const SETTLE_TIMEOUT_MS = 180_000;
const DEFAULT_MIN_HOLD_MS = 8000;
const DEFAULT_MAX_HOLD_MS = 25_000;

const log = (...a: unknown[]) => (flags.json ? console.error(...a) : console.log(...a));

if (flags.help || flags.list) {
  log("npm run chaos -- [scenario id or prefix …] [--json] [--list] [--port 3161] [--dist .next-bench] [--build] [--keep-up]");
  for (const s of CATALOGUE) log(`  ${s.id.padEnd(26)} ${s.title}${s.needs ? `  (needs ${s.needs.join(", ")})` : ""}`);
  process.exit(0);
}

if (flags["build-only"]) {
  // The npm script builds before it takes the lab lock, so others are not kept waiting for a `next build`.
  ensureBuild(flags.dist, flags.build);
  process.exit(0);
}

function select(args: string[]): Scenario[] {
  if (args.length === 0) return CATALOGUE;
  const out = CATALOGUE.filter((s) => args.some((a) => s.id === a || s.id.startsWith(a)));
  const unknown = args.filter((a) => !CATALOGUE.some((s) => s.id === a || s.id.startsWith(a)));
  if (unknown.length) throw new Error(`unknown scenario ${unknown.join(", ")}; --list shows them`);
  return out;
}

interface Tick {
  at: number;
  over: OverviewRead;
  world: World;
}

interface Recording {
  scenario: Scenario;
  ctx: Ctx;
  polls: Poll[];
  log: { at: number; api: number | null; dash: string; misses: string[][]; world: string; worldBad: string[] }[];
}

function dashSummary(s: Snapshot | undefined): string {
  if (!s) return "no answer";
  const comps = s.components.filter((c) => c.status !== "UP" && c.status !== "NO_DATA").map((c) => `${c.id} ${c.status}`);
  const susp = s.components.filter((c) => c.suspect).map((c) => `${c.id}~${c.suspect!.status} ${c.suspect!.count}/${c.suspect!.needed}`);
  const finds = s.findings.map((f) => `${f.id}(${f.severity})`);
  return [s.overall.status, ...comps, ...susp, ...finds].join(" ");
}

/** The poller: a tick every 250 ms reads the dashboard and the oracles together; ticks that outlive a hung read overlap. */
class Watcher {
  latest: Tick | undefined;
  recent: Tick[] = [];
  recording: Recording | undefined;
  private timer: NodeJS.Timeout | undefined;
  private inFlight = 0;
  skipped = 0;

  constructor(private read: () => Promise<OverviewRead>) {}

  start() {
    this.timer = setInterval(() => void this.tick(), TICK_MS);
  }
  stop() {
    clearInterval(this.timer);
  }

  private async tick() {
    if (this.inFlight >= 6) {
      this.skipped++;
      return;
    }
    this.inFlight++;
    const at = Date.now();
    try {
      const [over, world] = await Promise.all([this.read(), readWorld(this.recording?.scenario.probes)]);
      const t: Tick = { at, over, world };
      if (!this.latest || this.latest.at < at) this.latest = t;
      this.recent.push(t);
      this.recent = this.recent.filter((x) => x.at > Date.now() - 4 * STEADY_MS);
      if (this.recording) this.record(this.recording, t);
    } finally {
      this.inFlight--;
    }
  }

  private record(r: Recording, t: Tick) {
    const snap = t.over.snapshot;
    const misses = r.scenario.phases.map((p) => (snap ? [...verdictMisses(snap, p.expect), ...[p.also?.(snap, r.ctx)].filter((x): x is string => !!x)] : ["no snapshot"]));
    const worldBad = worldHealthy(t.world);
    r.polls.push({
      at: t.at,
      latencyMs: t.over.latencyMs,
      dash: { ok: !!snap, healthy: !!snap && dashboardHealthy(snap), deviates: !!snap && dashboardDeviates(snap), phases: misses.map((m) => m.length === 0) },
      world: { healthy: worldBad.length === 0, phases: r.scenario.phases.map((p) => safe(() => p.faulty(t.world, r.ctx))) },
    });
    r.log.push({ at: t.at, api: t.over.latencyMs === null ? null : Math.round(t.over.latencyMs), dash: dashSummary(snap), misses, world: worldSummary(t.world), worldBad });
  }

  /** Both the oracles and the dashboard healthy for the last STEADY_MS. */
  steady(): { ok: boolean; why: string } {
    const now = Date.now();
    const window = this.recent.filter((t) => t.at >= now - STEADY_MS);
    if (window.length < STEADY_MS / TICK_MS - 2) return { ok: false, why: "too few ticks yet" };
    for (const t of window) {
      const bad = worldHealthy(t.world);
      if (bad.length) return { ok: false, why: `oracles: ${bad.join(", ")}` };
      if (!t.over.snapshot || !dashboardHealthy(t.over.snapshot)) return { ok: false, why: `dashboard: ${dashSummary(t.over.snapshot)}` };
    }
    return { ok: true, why: "" };
  }

  async waitSteady(timeoutMs: number): Promise<{ ok: boolean; why: string }> {
    const deadline = Date.now() + timeoutMs;
    let s = this.steady();
    while (!s.ok && Date.now() < deadline) {
      await sleep(TICK_MS);
      s = this.steady();
    }
    return s;
  }
}

const safe = (f: () => boolean) => {
  try {
    return f();
  } catch {
    return false;
  }
};

interface Result extends TableRow {
  mode: Scenario["mode"];
  injectAt?: number;
  log?: Recording["log"];
}

async function runScenario(w: Watcher, s: Scenario, timing: { intervalMs: number; deadlineMs: number }): Promise<Result> {
  const base = { id: s.id, title: s.title, mode: s.mode };
  const missing = (s.needs ?? []).filter((n) => (lab as Record<string, unknown>)[n] === undefined);
  if (missing.length) return { ...base, skipped: `needs ${missing.join(", ")} in the lab driver` };
  const before = await w.waitSteady(SETTLE_TIMEOUT_MS);
  if (!before.ok) return { ...base, error: `the lab was not healthy before the fault: ${before.why}` };

  const ctx: Ctx = { world: () => w.latest!.world, vars: {}, lab: lab as Record<string, unknown> };
  const rec: Recording = { scenario: s, ctx, polls: [], log: [] };
  w.recording = rec;
  const injectAt = Date.now();
  let error: string | undefined;
  try {
    await s.inject(ctx);
    // Hold: at least minHold; then until every phase the oracles saw has been confirmed for 2 s, or maxHold.
    const minHold = s.minHoldMs ?? DEFAULT_MIN_HOLD_MS;
    const maxHold = Math.max(minHold, s.maxHoldMs ?? DEFAULT_MAX_HOLD_MS);
    while (Date.now() - injectAt < maxHold) {
      await sleep(TICK_MS);
      if (Date.now() - injectAt < minHold) continue;
      const recent = rec.polls.filter((p) => p.at >= Date.now() - 2000);
      const seen = s.phases.map((_, k) => rec.polls.some((p) => p.world.phases[k]));
      const settled = s.phases.every((p, k) => (p.optional && !seen[k]) || (seen[k] && recent.length > 0 && recent.every((x) => !x.world.phases[k] || x.dash.phases[k])));
      if (settled && seen.some(Boolean)) break;
    }
  } catch (e) {
    error = `inject: ${e instanceof Error ? e.message : String(e)}`;
  }
  const undoAt = Date.now();
  try {
    await s.undo(ctx);
  } catch (e) {
    error = [error, `undo: ${e instanceof Error ? e.message : String(e)}`].filter(Boolean).join("; ");
  }
  const after = await w.waitSteady(SETTLE_TIMEOUT_MS);
  await sleep(TICK_MS * 2);
  w.recording = undefined;
  if (!after.ok) error = [error, `not healthy ${SETTLE_TIMEOUT_MS / 1000} s after the undo: ${after.why}`].filter(Boolean).join("; ");
  const row = analyse(rec.polls, { injectAt, undoAt, ...timing, tickMs: TICK_MS, phases: s.phases });
  return { ...base, row, error, note: ctx.vars.repaired && `lab repaired after the undo: ${ctx.vars.repaired}`, injectAt, log: rec.log };
}

/** The dashboard's default poll interval and probe deadline, from the config it runs with. */
function dashboardTiming(configFile: string): { intervalMs: number; deadlineMs: number } {
  const cfg = parseYaml(readFileSync(configFile, "utf8")) as { defaults?: { intervalMs?: number; timeoutMs?: number } };
  return { intervalMs: cfg.defaults?.intervalMs ?? 1000, deadlineMs: cfg.defaults?.timeoutMs ?? 800 };
}

async function main() {
  const scenarios = select(positionals);
  mkdirSync(path.join(ROOT, "bench/results"), { recursive: true });
  const measured = provenance("chaos", APP_DIR, ensureBuild(flags.dist, flags.build));
  log(provenanceHeader(measured));
  const labWasUp = lab.anyLabProcess();
  if (!labWasUp) await lab.up();
  const t0 = Date.now();
  const cpu0 = process.cpuUsage();
  const config = defaultConfig();
  const { intervalMs, deadlineMs } = dashboardTiming(config);
  const server = await startNext({ port: Number(flags.port), distDir: flags.dist, config, storeDir: path.join(ROOT, ".data/bench-chaos-store") });
  const results: Result[] = [];
  const watcher = new Watcher(overviewReader(server.url, await signInViewerCookie(server.url)));
  try {
    watcher.start();
    for (const s of scenarios) {
      log(`\n▶ ${s.id}: ${s.title}`);
      const r = await runScenario(watcher, s, { intervalMs, deadlineMs });
      results.push(r);
      log(markdownTable([r]).split("\n").slice(2).join("\n"));
      if (r.error) log(`  error: ${r.error}`);
    }
  } finally {
    watcher.stop();
    await server.stop();
    if (!labWasUp && !flags["keep-up"]) await lab.down();
  }
  const took = (Date.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const runnerCpu = (cpu.user + cpu.system) / 1000 / (Date.now() - t0);
  const table = markdownTable(results);
  const board = rtoTable(
    results.flatMap((r) => (r.row && r.injectAt ? [{ mode: r.mode, injectAt: r.injectAt, row: r.row }] : [])),
    Date.now(),
  );
  log(`\n${table}\n`);
  if (board) log(`RTO scoreboard (the SLA report's function, fed the incidents above):\n${board}\n`);
  const passed = results.filter((r) => r.row?.pass && !r.error).length;
  const skipped = results.filter((r) => r.skipped).length;
  log(`${passed} passed, ${results.length - passed - skipped} failed, ${skipped} skipped, in ${(took / 60).toFixed(1)} min (dashboard polls every ${intervalMs} ms, probe deadline ${deadlineMs} ms; load average ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}; the runner itself used ${(runnerCpu * 100).toFixed(0)}% of a core; ${watcher.skipped} ticks skipped)`);
  const out = resultsFile(ROOT, "chaos");
  const json = { provenance: measured, intervalMs, deadlineMs, tickMs: TICK_MS, tookSeconds: took, runnerCpu, loadAverage: os.loadavg(), results };
  writeFileSync(out, JSON.stringify(json, null, 2));
  log(`figures: ${path.relative(ROOT, out)}`);
  if (flags.json) console.log(JSON.stringify({ ...json, results: results.map((r) => ({ ...r, log: undefined })) }, null, 2));
  return results.every((r) => r.skipped || (r.row?.pass && !r.error)) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.stack : e);
    process.exit(2);
  },
);

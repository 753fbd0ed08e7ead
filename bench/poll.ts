/**
 * Can the dashboard poll its fleet every second? (npm run bench:poll)
 *
 * Starts a simulated fleet of HTTP /health and TCP PING/PONG targets in its own process
 * (bench/fleet.ts), then for each N runs the real Scheduler with the real HTTP and TCP collectors
 * against N targets (half HTTP, half TCP; 1 s interval, 800 ms deadline) in a fresh dashboard-side
 * process (bench/poll-run.ts): first with no hung target, then with a share of them hung (they
 * accept and never answer). Reports probes/s, start lateness, CPU and RSS of the dashboard side,
 * failures, and the delay the hung targets add to the healthy ones; prints a Markdown table and
 * writes the figures to bench/results/poll-<date>.json.
 *
 *   npm run bench:poll -- --n 1000 --hung 0,10 --warmup 5 --window 20
 *   npm run bench:poll -- --n 1000 --hung 0 --cpu-prof     # V8 profiles in bench/results/
 *
 * Targets: 1,000 targets every second on at most half a core; hung targets add no delay.
 */
import { fork, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { FleetReply, FleetRequest, FleetTarget } from "./fleet";
import type { RunMessage, RunRequest, RunTarget } from "./poll-run";
import { f, hungImpact, impactTable, round1, runsTable, targetChecks, type RunRecord } from "./poll-report";
import { provenance, provenanceHeader } from "./provenance";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "..");

const { values: flags } = parseArgs({
  options: {
    n: { type: "string", default: "100,1000,5000" },
    hung: { type: "string", default: "0,10" },
    warmup: { type: "string", default: "5" },
    window: { type: "string", default: "20" },
    interval: { type: "string", default: "1000" },
    timeout: { type: "string", default: "800" },
    latency: { type: "string", default: "1-20" },
    "http-ports": { type: "string", default: "20" },
    "tcp-ports": { type: "string", default: "50" },
    seed: { type: "string", default: "1" },
    "cpu-prof": { type: "boolean", default: false },
    out: { type: "string", default: path.join(HERE, "results") },
    help: { type: "boolean", short: "h", default: false },
  },
});

if (flags.help) {
  console.log(`npm run bench:poll -- [--n 100,1000,5000] [--hung 0,10] [--warmup 5] [--window 20] [--interval 1000]
  [--timeout 800] [--latency 1-20] [--http-ports 20] [--tcp-ports 50] [--seed 1] [--cpu-prof] [--out bench/results]
  --hung: percentages of targets that accept and never answer; each N runs once per value.
  --cpu-prof: write a V8 CPU profile of each dashboard-side run to <out>/prof-<date>/.`);
  process.exit(0);
}

const list = (s: string) => s.split(",").map((x) => Number(x.trim())).filter((x) => Number.isFinite(x));
const sizes = list(flags.n).map(Math.round);
const hungShares = [...new Set(list(flags.hung))].sort((a, b) => a - b);
const [latLo, latHi] = flags.latency.split("-").map(Number) as [number, number | undefined];
const opts = {
  warmupMs: Number(flags.warmup) * 1000,
  windowMs: Number(flags.window) * 1000,
  intervalMs: Number(flags.interval),
  timeoutMs: Number(flags.timeout),
  latencyMs: [latLo, latHi ?? latLo] as const,
  httpPorts: Number(flags["http-ports"]),
  tcpPorts: Number(flags["tcp-ports"]),
  seed: Number(flags.seed),
};
if (sizes.length === 0 || hungShares.length === 0 || sizes.some((n) => n < 2) || hungShares.some((h) => h < 0 || h >= 100)) {
  console.error("--n wants sizes of at least 2, --hung percentages in [0, 100)");
  process.exit(2);
}

/** Deterministic per seed, so the two runs of one N use the same latencies and the same hung set. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Target {
  id: string;
  kind: "http" | "tcp";
  latencyMs: number;
  /** Rank in a random order: the first `share` of each kind are the hung ones. */
  hungRank: number;
}

function fleetTargets(n: number): Target[] {
  const rand = mulberry32(opts.seed * 100_003 + n);
  const out: Target[] = [];
  for (const [kind, count] of [["http", Math.ceil(n / 2)], ["tcp", Math.floor(n / 2)]] as const) {
    const order = Array.from({ length: count }, (_, i) => i);
    for (let i = count - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const rank = new Array<number>(count);
    order.forEach((idx, r) => (rank[idx] = r / count));
    for (let i = 0; i < count; i++) {
      const latencyMs = opts.latencyMs[0] + Math.floor(rand() * (opts.latencyMs[1] - opts.latencyMs[0] + 1));
      out.push({ id: `${kind}-${i}`, kind, latencyMs, hungRank: rank[i]! });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Processes

const tsxArgs = ["--import", "tsx"];

function nextMessage<T extends { type: string }>(child: ChildProcess, type: T["type"], timeoutMs = 30_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: T) => {
      if (m.type !== type) return;
      cleanup();
      resolve(m);
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`child exited (${code}) while waiting for "${type}"`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`no "${type}" from the child within ${timeoutMs} ms`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      child.off("message", onMessage);
      child.off("exit", onExit);
    };
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}

async function fleetRequest<T extends FleetReply>(fleet: ChildProcess, req: FleetRequest, reply: T["type"]): Promise<T> {
  const p = nextMessage<T>(fleet, reply);
  fleet.send(req);
  return p;
}

/** Whole-machine CPU busy time from /proc/stat (jiffies), to show what else ran during a window. */
function machineCpu(): { busy: number; total: number } | null {
  try {
    const f = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = (f[3] ?? 0) + (f[4] ?? 0);
    const total = f.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

interface Snapshot {
  fleet: Extract<FleetReply, { type: "stats" }>;
  machine: ReturnType<typeof machineCpu>;
  loadavg: number[];
}

async function snapshot(fleet: ChildProcess): Promise<Snapshot> {
  const stats = await fleetRequest<Extract<FleetReply, { type: "stats" }>>(fleet, { type: "stats" }, "stats");
  return { fleet: stats, machine: machineCpu(), loadavg: os.loadavg().map((l) => Math.round(l * 100) / 100) };
}

/** Seconds between two fleet snapshots. */
const secondsBetween = (a: Snapshot, b: Snapshot) => (b.fleet.at - a.fleet.at) / 1000;

async function measure(fleet: ChildProcess, ports: { http: number[]; tcp: number[] }, n: number, hungPct: number, maxHung: number, profDir?: string): Promise<RunRecord> {
  const all = fleetTargets(n);
  const isHung = (t: Target, pct: number) => t.hungRank < pct / 100;
  const fleetConfig: Record<string, FleetTarget> = {};
  for (const t of all) fleetConfig[t.id] = { latencyMs: t.latencyMs, hung: isHung(t, hungPct) };
  await fleetRequest(fleet, { type: "configure", targets: fleetConfig }, "configured");

  const perKind = { http: 0, tcp: 0 };
  const targets: RunTarget[] = all.map((t) => {
    const j = perKind[t.kind]++;
    const endpoint =
      t.kind === "http"
        ? `http://127.0.0.1:${ports.http[j % ports.http.length]}/health/${t.id}`
        : `127.0.0.1:${ports.tcp[j % ports.tcp.length]}`;
    return { id: t.id, kind: t.kind, endpoint, hung: isHung(t, hungPct), compare: !isHung(t, maxHung) };
  });

  const execArgv = [...tsxArgs, "--import", path.join(HERE, "server-only-shim.mjs")];
  // One directory per run: the module-hooks thread writes a profile of its own (the small one).
  if (profDir) execArgv.push("--cpu-prof", "--cpu-prof-dir", path.join(profDir, `n${n}-hung${hungPct}`));
  const worker = fork(path.join(HERE, "poll-run.ts"), [], { cwd: ROOT, execArgv, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  try {
    const started = nextMessage<RunMessage>(worker, "window-start", opts.warmupMs + 60_000);
    const ended = nextMessage<RunMessage>(worker, "window-end", opts.warmupMs + opts.windowMs + 90_000);
    const resulted = nextMessage<Extract<RunMessage, { type: "result" }>>(worker, "result", opts.warmupMs + opts.windowMs + 120_000);
    for (const p of [started, ended, resulted]) p.catch(() => {});
    const failed = nextMessage<Extract<RunMessage, { type: "error" }>>(worker, "error", 10 * 60_000).then((m) => {
      throw new Error(`run N=${n} hung=${hungPct}%: ${m.message}`);
    });
    failed.catch(() => {});
    const req: RunRequest = { type: "run", targets, intervalMs: opts.intervalMs, timeoutMs: opts.timeoutMs, warmupMs: opts.warmupMs, windowMs: opts.windowMs };
    worker.send(req);
    await Promise.race([started, failed]);
    const s0 = await snapshot(fleet);
    await Promise.race([ended, failed]);
    const s1 = await snapshot(fleet);
    const { result } = await Promise.race([resulted, failed]);
    const m0 = s0.machine;
    const m1 = s1.machine;
    return {
      n,
      hungPct,
      result,
      fleetCpuPct: round1(((s1.fleet.cpuMicros - s0.fleet.cpuMicros) / 1000 / (s1.fleet.at - s0.fleet.at)) * 100),
      fleetAnswered: s1.fleet.answered - s0.fleet.answered,
      newConnectionsPerS: {
        http: round1((s1.fleet.accepted.http - s0.fleet.accepted.http) / secondsBetween(s0, s1)),
        tcp: round1((s1.fleet.accepted.tcp - s0.fleet.accepted.tcp) / secondsBetween(s0, s1)),
      },
      machineBusyPct: m0 && m1 ? round1(((m1.busy - m0.busy) / (m1.total - m0.total)) * 100) : null,
      loadavgStart: s0.loadavg,
      loadavgEnd: s1.loadavg,
      keepsUp: result.healthyProbesPerS >= 0.99 * result.healthyExpectedPerS && (result.lateness.p99 ?? Infinity) <= opts.intervalMs / 10,
    };
  } finally {
    if (worker.exitCode === null && worker.signalCode === null) {
      await Promise.race([new Promise((r) => worker.once("exit", r)), new Promise((r) => setTimeout(r, 2000))]);
      if (worker.exitCode === null && worker.signalCode === null) worker.kill();
    }
  }
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const stamp = new Date().toISOString().replace(/:/g, "-").replace(/\..*$/, "");
  const measured = provenance("bench:poll", ROOT);
  console.error(provenanceHeader(measured));
  const profDir = flags["cpu-prof"] ? path.join(flags.out, `prof-${stamp}`) : undefined;
  const fleet = fork(path.join(HERE, "fleet.ts"), [], { cwd: ROOT, execArgv: tsxArgs, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const loadStart = os.loadavg();
  const runs: RunRecord[] = [];
  try {
    const ports = await fleetRequest<Extract<FleetReply, { type: "ready" }>>(fleet, { type: "listen", httpPorts: opts.httpPorts, tcpPorts: opts.tcpPorts }, "ready");
    const maxHung = Math.max(...hungShares);
    console.error(
      `fleet pid ${fleet.pid}: HTTP on ${ports.http.length} ports, TCP on ${ports.tcp.length} ports; ${os.cpus().length} CPUs, load ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`,
    );
    for (const n of sizes) {
      for (const hungPct of hungShares) {
        console.error(`N=${n}, ${hungPct}% hung: ${opts.warmupMs / 1000} s warm-up, ${opts.windowMs / 1000} s measured…`);
        const r = await measure(fleet, ports, n, hungPct, maxHung, profDir);
        const x = r.result;
        console.error(
          `  ${x.probesPerS} probes/s, lateness p99 ${f(x.lateness.p99)} ms, CPU ${x.cpuPct} %, RSS ${x.rssMaxMb} MB, healthy latency p99 ${f(x.latencyCompared.p99)} ms, failed ${x.failedHealthy}/${x.failed}, load ${r.loadavgEnd[0]}`,
        );
        if (Object.keys(x.healthyErrors).length) console.error(`  healthy failures: ${JSON.stringify(x.healthyErrors)}`);
        runs.push(r);
      }
    }
  } finally {
    fleet.disconnect();
  }

  const impacts = hungImpact(runs, sizes);
  const checks = targetChecks(runs, impacts);
  const loadEnd = os.loadavg();
  const md = [
    `## Poll benchmark (${new Date().toISOString()})`,
    "",
    provenanceHeader(measured),
    "",
    `${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "?"}), Node ${process.version}; load average at start ${loadStart.map((l) => l.toFixed(2)).join(" ")}, at end ${loadEnd.map((l) => l.toFixed(2)).join(" ")}.`,
    `Targets half HTTP (${opts.httpPorts} ports), half TCP (${opts.tcpPorts} ports); latency ${opts.latencyMs[0]}–${opts.latencyMs[1]} ms; interval ${opts.intervalMs} ms, deadline ${opts.timeoutMs} ms; ${opts.warmupMs / 1000} s warm-up, ${opts.windowMs / 1000} s measured per run.`,
    `"Healthy" = the targets that are not hung in the run with the most hung targets, so both runs of an N compare the same set. CPU and RSS are the dashboard-side process only.`,
    `"Keeps up": at least 99 % of the expected healthy probes started and start lateness p99 ≤ ${opts.intervalMs / 10} ms. Lateness can be slightly negative: Node's timers run on a whole-millisecond clock.`,
    "",
    runsTable(runs),
    "",
    impacts.length ? impactTable(impacts, runs) : "",
    "",
    ...checks.map((c) => `- ${c.pass === null ? "?" : c.pass ? "PASS" : "FAIL"} ${c.check}: ${c.detail}`),
  ].join("\n");
  console.log(md);

  mkdirSync(flags.out, { recursive: true });
  const file = path.join(flags.out, `poll-${stamp}.json`);
  const json = {
    date: new Date().toISOString(),
    provenance: measured,
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? null, node: process.version, loadavgStart: loadStart, loadavgEnd: loadEnd },
    params: { sizes, hungShares, ...opts },
    /** Which versions of the measured code ran (other work changes them). */
    sources: Object.fromEntries(
      ["server/scheduler/scheduler.ts", "server/collectors/http.ts", "server/collectors/tcp.ts"].map((f) => [
        f,
        createHash("sha256").update(readFileSync(path.join(ROOT, f))).digest("hex").slice(0, 12),
      ]),
    ),
    runs,
    hungImpact: impacts,
    checks,
    cpuProfiles: profDir ?? null,
  };
  writeFileSync(file, JSON.stringify(json, null, 2) + "\n");
  console.error(`wrote ${path.relative(process.cwd(), file)}${profDir ? `; CPU profiles in ${path.relative(process.cwd(), profDir)}` : ""}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});

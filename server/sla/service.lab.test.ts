import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fault, up } from "@/e2e/lab/lab";
import { sleep, waitFor } from "@/e2e/lab/proc";
import { paths } from "@/e2e/lab/topology";
import { loadConfig, type Config } from "@/server/config/load";
import { Runtime } from "@/server/runtime/runtime";
import { storeSink } from "@/server/runtime/sink";
import { openStore, type Store } from "@/server/store/store";
import type { SlaReport } from "./model";
import { slaReport } from "./service";

/**
 * SLA figures against the real lab. Both trading engines are frozen (SIGSTOP), which takes the
 * trading-engine component DOWN (one engine alone only DEGRADES it: they are active-active).
 * Run under `flock /tmp/hacr-lab.lock`; every test resumes what it froze.
 */

const ENGINES = ["te1", "te2"] as const;
const INTERVAL_MS = 1000;
let config: Config;
let dir: string;

const freezeEngines = async () => {
  for (const e of ENGINES) await fault("stop", e);
};
const resumeEngines = async () => {
  for (const e of ENGINES) await fault("resume", e).catch(() => undefined);
};
/** Whole seconds in ISO form for a custom report period. */
const isoSec = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
const reportOver = (store: Store, from: number, to: number): Promise<SlaReport> =>
  slaReport({ config, store }, { period: "custom", from: isoSec(from), to: isoSec(to + 60_000), components: ["trading-engine", "system"] }, Date.now());

beforeAll(async () => {
  await up();
  config = loadConfig(paths.config);
  dir = mkdtempSync(path.join(tmpdir(), "sla-lab-"));
}, 180_000);

afterAll(async () => {
  await resumeEngines();
  rmSync(dir, { recursive: true, force: true });
});

describe("SLA against the lab", () => {
  it("trading engines frozen for 10.0 s: the incident records the outage's own length within one poll interval", async () => {
    const store = await openStore({ dataDir: path.join(dir, "inproc") });
    const runtime = new Runtime({ config, sink: storeSink(store) });
    const componentStatus = () => runtime.current().components.find((c) => c.id === "trading-engine")?.status;
    const testStart = Date.now();
    await runtime.start();
    try {
      await waitFor("trading-engine UP", () => componentStatus() === "UP", 30_000, 50);
      // The component is DOWN once both engines are frozen and UP again once one answers: measure that.
      await fault("stop", "te1");
      await fault("stop", "te2");
      const frozenAt = Date.now();
      let resumedAt = 0;
      try {
        await waitFor("trading-engine DOWN", () => componentStatus() === "DOWN", 15_000, 50);
        await sleep(Math.max(0, frozenAt + 10_000 - Date.now()));
      } finally {
        resumedAt = Date.now();
        await resumeEngines();
      }
      await waitFor("trading-engine UP again", () => componentStatus() === "UP", 20_000, 50);
      const upAt = Date.now();
      // The report shows the closed incident within two poll intervals of the recovery being judged.
      const report = await waitFor(
        "the closed incident in the report",
        async () => {
          const r = await reportOver(store, testStart, Date.now());
          return r.incidents.some((i) => i.componentId === "trading-engine" && !i.open && i.end! > frozenAt) ? r : false;
        },
        2 * INTERVAL_MS,
        100,
      );
      const shownAfterMs = Date.now() - upAt;
      const incident = report.incidents.find((i) => i.componentId === "trading-engine" && i.end! > frozenAt)!;
      const frozenMs = resumedAt - frozenAt;
      console.log(
        `engines frozen ${frozenMs} ms; incident ${incident.durationMs} ms (start +${incident.start - frozenAt} ms, end +${incident.end! - resumedAt} ms after resume); in the report ${shownAfterMs} ms after UP`,
      );
      const cfgFall = config.defaults.fall;
      const cfgRise = config.defaults.rise;
      const deadline = config.defaults.timeoutMs;
      // Hysteresis confirms fall (3) probes late, but the incident is dated from the first failing
      // probe of that streak and ends at the first passing one: each end is off by at most an interval.
      expect(frozenMs).toBeGreaterThanOrEqual(10_000);
      expect(incident.start - frozenAt).toBeGreaterThanOrEqual(-INTERVAL_MS);
      expect(incident.start - frozenAt).toBeLessThanOrEqual(INTERVAL_MS);
      expect(incident.end! - resumedAt).toBeGreaterThanOrEqual(0);
      expect(incident.end! - resumedAt).toBeLessThanOrEqual(INTERVAL_MS + 200);
      expect(Math.abs(incident.durationMs - frozenMs)).toBeLessThanOrEqual(INTERVAL_MS);
      expect(incident.cause).toMatch(/none of \d+ serving/);
      const row = report.rows.find((r) => r.id === "trading-engine")!;
      expect(row.counted.downMs).toBe(report.incidents.filter((i) => i.componentId === "trading-engine").reduce((s, i) => s + i.durationMs, 0));
      // The system is down whenever a component in series is.
      expect(report.rows.find((r) => r.id === "system")!.counted.downMs).toBeGreaterThanOrEqual(incident.durationMs);

      // The RTO scoreboard has it, measured: suspected at the first failing probe (the first engine),
      // confirmed fall probes later, recovered when every engine answers again.
      const rto = report.rto.incidents.find((i) => i.componentId === "trading-engine" && i.suspectedAt >= frozenAt - INTERVAL_MS);
      expect(rto, JSON.stringify(report.rto.incidents)).toBeDefined();
      console.log(`RTO: suspected +${rto!.suspectedAt - frozenAt} ms, detection ${rto!.detectionMs} ms, recovery ${rto!.recoveryMs} ms, ${rto!.mode}: ${rto!.automatic.evidence}`);
      expect(rto!.suspectedAt).toBeLessThanOrEqual(incident.start);
      expect(rto!.detectionMs!).toBeGreaterThan(0);
      expect(rto!.detectionMs!).toBeLessThanOrEqual(cfgFall * INTERVAL_MS + deadline + 500);
      expect(rto!.recoveredAt! - resumedAt).toBeGreaterThanOrEqual(0);
      expect(rto!.recoveredAt! - resumedAt).toBeLessThanOrEqual(cfgRise * INTERVAL_MS + deadline + 500);
      // Frozen engines on a host that answers every other probe: hung processes, a software crash.
      expect(rto!.mode).toBe("software-crash");
      expect(rto!.automatic.evidence).toMatch(/process hung/);
      const board = report.rto.rows.find((r) => r.mode === "software-crash")!;
      expect(board.incidents).toBeGreaterThanOrEqual(1);
      expect(board.recovery.maxMs!).toBeGreaterThanOrEqual(rto!.recoveryMs!);
      expect(board.detection.maxMs!).toBeGreaterThanOrEqual(rto!.detectionMs!);
    } finally {
      await resumeEngines();
      await runtime.stop();
      await store.close();
    }
  }, 120_000);

  it("SIGKILL of the dashboard mid-incident: after a restart the incident and the monitoring gap are both reported", async () => {
    const storeDir = path.join(dir, "crash-store");
    const testStart = Date.now();
    const first = startChild(storeDir);
    let second: Child | undefined;
    try {
      await first.waitLine(/component:trading-engine: \S+ -> UP/, 60_000);
      await freezeEngines();
      const frozenAt = Date.now();
      await first.waitLine(/component:trading-engine: \S+ -> DOWN/, 15_000);
      // Let a heartbeat or two land while the incident is open, then kill without warning.
      await sleep(7_000);
      first.proc.kill("SIGKILL");
      await first.exited;
      const killedAt = Date.now();
      await sleep(5_000);
      second = startChild(storeDir);
      await second.waitLine(/\[monitor-child\] ready/, 60_000);
      const restartedAt = Date.now();
      await second.waitLine(/component:trading-engine: \S+ -> DOWN/, 20_000);
      await sleep(2_000);
      await resumeEngines();
      await second.waitLine(/component:trading-engine: \S+ -> UP/, 20_000);
      second.proc.kill("SIGTERM");
      expect(await second.exited).toBe(0);

      const store = await openStore({ dataDir: storeDir });
      try {
        const report = await reportOver(store, testStart, Date.now());
        const mine = report.incidents.filter((i) => i.componentId === "trading-engine" && i.start >= frozenAt);
        const row = report.rows.find((r) => r.id === "trading-engine")!;
        console.log(
          `crash: incidents ${mine.map((i) => `${i.durationMs} ms (before ${i.before?.status} ${i.before?.ms}, after ${i.after?.status} ${i.after?.ms})`).join("; ")}; unknown ${row.unknownMs} ms, killed→restart ${restartedAt - killedAt} ms`,
        );
        expect(mine).toHaveLength(2);
        const [beforeCrash, afterRestart] = mine as [SlaReport["incidents"][number], SlaReport["incidents"][number]];
        // Recorded before the kill: nothing lost. It lasts up to the run's last sign of life (a heartbeat), then the gap.
        expect(beforeCrash.open).toBe(false);
        expect(beforeCrash.end!).toBeLessThanOrEqual(killedAt);
        expect(beforeCrash.end!).toBeGreaterThanOrEqual(killedAt - 5_000 - 1_000);
        expect(beforeCrash.after?.status).toBe("UNKNOWN");
        expect(beforeCrash.after!.ms).toBeGreaterThanOrEqual(5_000);
        // The gap is unknown, never up: at least the time no process ran.
        expect(row.unknownMs).toBeGreaterThanOrEqual(5_000);
        expect(row.unknownMs).toBeGreaterThanOrEqual(beforeCrash.after!.ms);
        expect(afterRestart.start).toBeGreaterThan(killedAt);
        expect(["UNKNOWN", "NO_DATA"]).toContain(afterRestart.before?.status);
        expect(afterRestart.open).toBe(false);
        expect(row.counted.downMs).toBe(mine.reduce((s, i) => s + i.durationMs, 0) + report.incidents.filter((i) => i.componentId === "trading-engine" && i.start < frozenAt).reduce((s, i) => s + i.durationMs, 0));
      } finally {
        await store.close();
      }
    } finally {
      await resumeEngines();
      first.proc.kill("SIGKILL");
      second?.proc.kill("SIGKILL");
    }
  }, 180_000);
});

interface Child {
  proc: ChildProcess;
  exited: Promise<number | null>;
  waitLine(re: RegExp, timeoutMs: number): Promise<string>;
}

/** The monitor in a child process of its own, with its own store folder; stdout lines are kept for waitLine. */
function startChild(storeDir: string): Child {
  const proc = spawn(process.execPath, ["--import", "tsx", "--import", "./bench/server-only-shim.mjs", "server/sla/testing/monitor-child.ts"], {
    env: { ...process.env, HA_CONFIG: paths.config, HA_STORE_DIR: storeDir, HA_LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  let buf = "";
  proc.stdout!.on("data", (d: Buffer) => {
    buf += d.toString();
    const parts = buf.split("\n");
    buf = parts.pop()!;
    lines.push(...parts);
  });
  const errors: string[] = [];
  proc.stderr!.on("data", (d: Buffer) => errors.push(d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
  return {
    proc,
    exited,
    waitLine: (re, timeoutMs) =>
      waitFor(
        `a line matching ${re} from the monitor (last lines: ${lines.slice(-5).join(" | ")}; stderr: ${errors.join("").slice(-500)})`,
        () => {
          return lines.find((l) => re.test(l)) ?? false;
        },
        timeoutMs,
        50,
      ),
  };
}

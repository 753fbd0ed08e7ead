/**
 * The dashboard as production runs it (scripts/serve.mjs on a built dist folder), in its own process
 * group, on its own port and PGlite store, against the lab's config: for the tests and benchmarks that
 * must stop it for real, SIGTERM or SIGKILL, and start it again on the same store.
 */
import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import path from "node:path";
import { REPO } from "./daemons";
import { isAlive, signal, sleep } from "./proc";
import { paths } from "./topology";

export interface DashboardProcess {
  url: string;
  pid: number;
  /** SIGTERM (a clean shutdown) or SIGKILL (a crash) to the whole group; resolves once it is gone. */
  stop(sig?: "SIGTERM" | "SIGKILL"): Promise<void>;
}

export interface DashboardOptions {
  port: number;
  /** PGlite data dir, kept across restarts. */
  storeDir: string;
  /** A built dist folder of this checkout (NEXT_DIST_DIR), e.g. .next-test. */
  distDir?: string;
  config?: string;
  /** stdout and stderr, appended (default .lab/logs/dashboard-<port>.log). */
  logFile?: string;
  timeoutMs?: number;
}

async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/api/healthz`, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}

/** Starts it and waits until /api/healthz says the poller runs; refuses a dist folder that was never built. */
export async function startDashboard(opts: DashboardOptions): Promise<DashboardProcess> {
  const distDir = opts.distDir ?? process.env.NEXT_DIST_DIR ?? ".next-test";
  if (!existsSync(path.join(REPO, distDir, "BUILD_ID"))) {
    throw new Error(`no build in ${distDir}: run \`NEXT_DIST_DIR=${distDir} npx next build\` first (scripts/test-all.sh does, before the lab step)`);
  }
  const url = `http://127.0.0.1:${opts.port}`;
  if (await healthy(url)) throw new Error(`a dashboard already answers on ${url}; stop it or choose another port`);
  const logFile = opts.logFile ?? paths.log(`dashboard-${opts.port}`);
  mkdirSync(path.dirname(logFile), { recursive: true });
  const log = openSync(logFile, "a");
  const child = spawn(process.execPath, [path.join(REPO, "scripts/serve.mjs"), "-p", String(opts.port), "-H", "127.0.0.1"], {
    cwd: REPO,
    env: { ...process.env, NEXT_DIST_DIR: distDir, HA_CONFIG: opts.config ?? paths.config, HA_STORE_DIR: opts.storeDir, NEXT_TELEMETRY_DISABLED: "1" },
    detached: true,
    stdio: ["ignore", log, log],
  });
  closeSync(log);
  const pid = child.pid;
  if (!pid) throw new Error("could not start the dashboard");
  child.unref();
  const gone = () => !isAlive(pid);
  const stop = async (sig: "SIGTERM" | "SIGKILL" = "SIGTERM") => {
    if (gone()) return;
    signal(-pid, sig);
    for (let i = 0; i < 150 && !gone(); i++) await sleep(100);
    if (!gone()) signal(-pid, "SIGKILL");
    for (let i = 0; i < 50 && !gone(); i++) await sleep(100);
  };
  const deadline = Date.now() + (opts.timeoutMs ?? 90_000);
  while (!(await healthy(url))) {
    if (gone()) throw new Error(`the dashboard exited before it was healthy; see ${logFile}`);
    if (Date.now() > deadline) {
      await stop("SIGKILL");
      throw new Error(`the dashboard on ${url} was not healthy in time; see ${logFile}`);
    }
    await sleep(100);
  }
  return { url, pid, stop };
}

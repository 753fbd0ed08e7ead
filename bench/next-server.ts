/**
 * A production build and `next start` of the dashboard for the browser benchmarks, on their own port,
 * build folder and control store, so they never touch the lead's (3000/.next) or CI's (3100/.next-test).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { APIRequestContext } from "@playwright/test";
import { demoPassword } from "../e2e/lab/demo-users";
import { paths } from "../e2e/lab/topology";
import { gitRevision, readStamp, rebuildReason, sourcesHash, type BuildStamp, type Provenance } from "./provenance";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/**
 * Where the dashboard is built and started: this checkout, or (BENCH_APP_DIR) another one, e.g. an
 * export of HEAD when the shared working tree holds someone's half-done change that does not build.
 */
export const APP_DIR = path.resolve(process.env.BENCH_APP_DIR ?? ROOT);
const NEXT_BIN = path.join(APP_DIR, "node_modules/next/dist/bin/next");
/** The dashboard's own server (as `npm start`), so the benchmark measures what production serves. */
const SERVE = path.join(APP_DIR, "scripts/serve.mjs");

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export type BuildInfo = NonNullable<Provenance["build"]>;

/**
 * `next build` into `distDir` unless the build there was made from today's sources (or `force`), and
 * a stamp of what it was built from beside it; tsconfig.json is put back as it was.
 */
export function ensureBuild(distDir: string, force = false): BuildInfo {
  const dir = path.join(APP_DIR, distDir);
  const stampFile = path.join(dir, "bench-build.json");
  const sources = sourcesHash(APP_DIR);
  const rebuilt = rebuildReason({ force, hasBuild: existsSync(path.join(dir, "BUILD_ID")), stamp: readStamp(stampFile), sources });
  if (!rebuilt) return { ...readStamp(stampFile)!, dir, rebuilt: null };
  const tsconfig = path.join(APP_DIR, "tsconfig.json");
  const before = readFileSync(tsconfig, "utf8");
  console.log(`building into ${dir} (next build): ${rebuilt}…`);
  const r = spawnSync(process.execPath, [NEXT_BIN, "build"], {
    cwd: APP_DIR,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: "1" },
  });
  // next build adds its dist folder's types to tsconfig's include list; that is not ours to keep.
  writeFileSync(tsconfig, before);
  if (r.status !== 0) throw new Error(`next build failed (exit ${r.status})`);
  const stamp: BuildStamp = { ...gitRevision(APP_DIR), sources, builtAt: new Date().toISOString() };
  writeFileSync(stampFile, JSON.stringify(stamp, null, 2) + "\n");
  return { ...stamp, dir, rebuilt };
}

export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}

export interface NextServer {
  url: string;
  pid: number;
  /** ms from spawn until /api/healthz answered 200 (the poller is evaluating). */
  readyMs: number;
  stop(): Promise<void>;
}

async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/api/healthz`, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}

/** Starts the dashboard (scripts/serve.mjs: Next behind its peer-address server) in its own process group and waits until /api/healthz says the poller runs. */
export async function startNext(opts: { port: number; distDir: string; config: string; storeDir: string; timeoutMs?: number }): Promise<NextServer> {
  if (!(await portFree(opts.port))) throw new Error(`port ${opts.port} is taken; pass another with --port`);
  const t0 = performance.now();
  const child: ChildProcess = spawn(process.execPath, [SERVE, "-p", String(opts.port), "-H", "127.0.0.1"], {
    cwd: APP_DIR,
    env: { ...process.env, NEXT_DIST_DIR: opts.distDir, HA_CONFIG: opts.config, HA_STORE_DIR: opts.storeDir, NEXT_TELEMETRY_DISABLED: "1" },
    detached: true,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (b: Buffer) => (stderr = (stderr + b.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${opts.port}`;
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  while (!(await healthy(url))) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}): ${stderr}`);
    if (Date.now() > deadline) {
      process.kill(-child.pid!, "SIGKILL");
      throw new Error(`next start on ${opts.port} not healthy in time: ${stderr}`);
    }
    await sleep(50);
  }
  const readyMs = performance.now() - t0;
  return {
    url,
    pid: child.pid!,
    readyMs,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      process.kill(-child.pid!, "SIGTERM");
      if ((await Promise.race([exited.then(() => "exited"), sleep(15_000).then(() => "timeout")])) === "timeout") {
        process.kill(-child.pid!, "SIGKILL");
        await exited;
      }
    },
  };
}

/** The dashboard config `npm run lab -- up` writes (in LAB_DIR; HA_CONFIG overrides it). */
export function defaultConfig(): string {
  const file = process.env.HA_CONFIG ?? paths.config;
  if (!existsSync(file)) throw new Error(`no dashboard config at ${file}: run \`npm run lab -- up\` once, or set HA_CONFIG`);
  return file;
}

export const CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length === 0 ? NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  // Nearest rank: p95 of 10 trials is the 10th value, not an interpolation below it.
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

/**
 * Signs a browser context in as the lab's demo viewer (the pages need a user or a kiosk token), the
 * way the login page does; the session lives in the server's control store, so it outlasts a restart.
 */
export async function signInViewer(request: APIRequestContext, url: string): Promise<void> {
  const res = await request.post(`${url}/api/auth/sign-in/username`, {
    headers: { origin: url, "content-type": "application/json" },
    data: { username: "viewer", password: demoPassword("viewer") },
  });
  if (!res.ok()) throw new Error(`sign-in as the demo viewer at ${url}: HTTP ${res.status()} ${await res.text()}`);
}

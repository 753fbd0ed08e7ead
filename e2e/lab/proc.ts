import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { paths } from "./topology";

/** Process bookkeeping for the lab: every daemon is recorded by its real PID and stopped only by it. */

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function readPid(name: string): number | undefined {
  try {
    const pid = Number(readFileSync(paths.pidFile(name), "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Alive and not a zombie. A stopped (SIGSTOP) process counts as alive. */
export function isAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  return procState(pid) !== "Z";
}

/** The one-letter state from /proc/PID/stat: R, S, D, T (stopped), Z ... */
export function procState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
  } catch {
    return undefined;
  }
}

export function running(name: string): number | undefined {
  const pid = readPid(name);
  return isAlive(pid) ? pid : undefined;
}

export interface DaemonSpec {
  name: string;
  cmd: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/**
 * Start a daemon in its own session (so it survives the CLI and can be signalled alone), output to its log.
 * The command must exec in place (setpriv, `ip netns exec`, env do), so the recorded PID is the daemon's own.
 */
export function startDaemon(spec: DaemonSpec): number {
  mkdirSync(paths.run, { recursive: true });
  mkdirSync(paths.logs, { recursive: true });
  const log = openSync(paths.log(spec.name), "a");
  const child = spawn(spec.cmd, spec.args, {
    detached: true,
    stdio: ["ignore", log, log],
    env: spec.env ?? process.env,
    cwd: spec.cwd,
  });
  closeSync(log);
  if (!child.pid) throw new Error(`could not start ${spec.name} (${spec.cmd})`);
  child.unref();
  writeFileSync(paths.pidFile(spec.name), `${child.pid}\n`);
  return child.pid;
}

export function signal(pid: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false;
  }
}

/** SIGCONT first (a frozen process cannot exit), then `sig` (SIGTERM), then SIGKILL after `graceMs`. */
export async function stopPid(pid: number, graceMs = 15_000, sig: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (!isAlive(pid)) return;
  signal(pid, "SIGCONT");
  signal(pid, sig);
  const until = Date.now() + graceMs;
  while (Date.now() < until) {
    if (!isAlive(pid)) return;
    await sleep(100);
  }
  signal(pid, "SIGKILL");
  for (let i = 0; i < 50 && isAlive(pid); i++) await sleep(100);
}

export async function stopDaemon(name: string, graceMs?: number): Promise<void> {
  const pid = readPid(name);
  if (pid) await stopPid(pid, graceMs);
  rmSync(paths.pidFile(name), { force: true });
}

/** Run a command to completion; throws with its output on failure unless `allowFail`. */
export function run(cmd: string, args: string[], opts: { allowFail?: boolean; env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(cmd, args, { encoding: "utf8", env: opts.env ?? process.env });
  if (r.status !== 0 && !opts.allowFail) {
    throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}): ${r.stderr || r.stdout}`);
  }
  return r;
}

export function ensureDir(dir: string, mode?: number) {
  mkdirSync(dir, { recursive: true, mode });
}

export function writeFile(file: string, text: string, mode?: number) {
  ensureDir(path.dirname(file));
  writeFileSync(file, text, { mode });
}

export { existsSync };

/** Poll `check` until it returns a truthy value or the deadline passes. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs: number, everyMs = 200): Promise<T> {
  const until = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < until) {
    try {
      const v = await check();
      if (v) return v;
    } catch (e) {
      lastError = e;
    }
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ""}`);
}

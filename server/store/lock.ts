/**
 * PGlite has no lock of its own: two processes on one data dir (say `next dev` and `next start`)
 * corrupt it. A lock file beside the dir names its owner; an owner that is gone is taken over.
 */
import fs from "node:fs";
import path from "node:path";
import { AppError } from "../errors";

interface Owner {
  pid: number;
  /** Linux process start time (clock ticks since boot): tells a reused pid from the owner. */
  started: string | null;
}

/** Data dirs this process holds, so a second open in the same process is refused too. */
const held = ((globalThis as unknown as { __haStoreDirsHeld?: Set<string> }).__haStoreDirsHeld ??= new Set<string>());

export function lockPathFor(dataDir: string): string {
  return `${path.resolve(dataDir)}.lock`;
}

/** Takes the lock or throws AppError("UNAVAILABLE"); returns the release function. */
export function lockDataDir(dataDir: string): () => void {
  const dir = path.resolve(dataDir);
  const lock = lockPathFor(dir);
  if (held.has(dir)) throw new AppError("UNAVAILABLE", "control store data dir is already open in this process");
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  const me: Owner = { pid: process.pid, started: processStart(process.pid) };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lock, JSON.stringify(me), { flag: "wx" });
      held.add(dir);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        held.delete(dir);
        fs.rmSync(lock, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const owner = readOwner(lock);
      if (owner && isAlive(owner)) {
        throw new AppError("UNAVAILABLE", `control store data dir is in use by process ${owner.pid} (${path.basename(lock)})`);
      }
      fs.rmSync(lock, { force: true });
    }
  }
  throw new AppError("UNAVAILABLE", "control store data dir lock could not be taken");
}

function readOwner(lock: string): Owner | null {
  try {
    const v = JSON.parse(fs.readFileSync(lock, "utf8")) as Partial<Owner>;
    return typeof v.pid === "number" ? { pid: v.pid, started: typeof v.started === "string" ? v.started : null } : null;
  } catch {
    return null; // unreadable or half-written: its writer is not holding it properly
  }
}

function isAlive(owner: Owner): boolean {
  // Our own pid but not in `held`: an earlier run that had the same pid (a restarted container's pid 1).
  if (owner.pid === process.pid) return false;
  if (owner.started !== null && fs.existsSync("/proc/self/stat")) return processStart(owner.pid) === owner.started;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Field 22 of /proc/<pid>/stat, or null where there is no procfs (macOS) or no such process. */
export function processStart(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may contain spaces and parentheses: count from the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

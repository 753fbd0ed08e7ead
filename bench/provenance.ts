/**
 * What a benchmark measured: the commit (and whether the tree had uncommitted changes) and, for the
 * browser benchmarks, the production build it timed. A build carries a stamp of the sources it was
 * made from; a build whose sources have changed since is rebuilt rather than timed stale.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

export interface Revision {
  /** `git rev-parse HEAD`, or "unknown" outside a git checkout. */
  commit: string;
  /** Uncommitted changes (tracked or untracked, not ignored) in the tree. */
  dirty: boolean;
}

/** Written beside a build (`<distDir>/bench-build.json`) by the bench that made it. */
export interface BuildStamp extends Revision {
  /** Hash of the contents of every file the build reads (see buildSources). */
  sources: string;
  builtAt: string;
}

export interface Provenance {
  bench: string;
  revision: Revision;
  build: (BuildStamp & { dir: string; rebuilt: string | null }) | null;
}

export function gitRevision(dir: string): Revision {
  const head = spawnSync("git", ["rev-parse", "HEAD"], { cwd: dir, encoding: "utf8" });
  if (head.status !== 0) return { commit: "unknown", dirty: false };
  const status = spawnSync("git", ["status", "--porcelain"], { cwd: dir, encoding: "utf8" });
  return { commit: head.stdout.trim(), dirty: status.status !== 0 || status.stdout.trim() !== "" };
}

export function describeRevision(r: Revision): string {
  return r.commit === "unknown" ? "commit unknown (not a git checkout)" : `commit ${r.commit.slice(0, 12)}${r.dirty ? " dirty" : ""}`;
}

/** What `next build` reads: the app's source folders and root config files (tests excluded). */
const SOURCE_DIRS = ["app", "components", "lib", "server", "public"];
const SOURCE_FILES = ["package.json", "package-lock.json", "next.config.ts", "tsconfig.json", "postcss.config.mjs", "proxy.ts", "instrumentation.ts"];
const isTest = (f: string) => /\.test\.tsx?$/.test(f);

export function buildSources(appDir: string): string[] {
  const out = SOURCE_FILES.filter((f) => existsSync(path.join(appDir, f)));
  for (const dir of SOURCE_DIRS) {
    if (!existsSync(path.join(appDir, dir))) continue;
    for (const rel of readdirSync(path.join(appDir, dir), { recursive: true, encoding: "utf8" })) {
      const f = path.join(dir, rel);
      if (!isTest(f) && statSync(path.join(appDir, f)).isFile()) out.push(f);
    }
  }
  return out.sort();
}

/** One hash over the names and contents of the build's sources. */
export function sourcesHash(appDir: string): string {
  const h = createHash("sha256");
  for (const f of buildSources(appDir)) h.update(f).update("\0").update(readFileSync(path.join(appDir, f))).update("\0");
  return h.digest("hex").slice(0, 16);
}

/** Why the build must be made again, or null when the one there was made from today's sources. */
export function rebuildReason(opts: { force: boolean; hasBuild: boolean; stamp: BuildStamp | undefined; sources: string }): string | null {
  if (opts.force) return "--build asked for a fresh build";
  if (!opts.hasBuild) return "no build yet";
  if (!opts.stamp) return "the build has no stamp, so what it was built from is unknown";
  if (opts.stamp.sources !== opts.sources) return `sources changed since the build (built from ${opts.stamp.sources}, now ${opts.sources})`;
  return null;
}

export function readStamp(file: string): BuildStamp | undefined {
  try {
    const s = JSON.parse(readFileSync(file, "utf8")) as Partial<BuildStamp>;
    return typeof s.sources === "string" && typeof s.commit === "string" ? (s as BuildStamp) : undefined;
  } catch {
    return undefined;
  }
}

export function provenance(bench: string, dir: string, build: Provenance["build"] = null): Provenance {
  return { bench, revision: gitRevision(dir), build };
}

/** The lines every bench prints first, so a figure can always be traced to the code that produced it. */
export function provenanceHeader(p: Provenance): string {
  const lines = [`${p.bench}: ${describeRevision(p.revision)}, Node ${process.version}`];
  if (p.build) {
    const from = describeRevision(p.build);
    const how = p.build.rebuilt ? `rebuilt now: ${p.build.rebuilt}` : "reused: sources unchanged since it was built";
    lines.push(`build: ${p.build.dir}, sources ${p.build.sources}, built ${p.build.builtAt} from ${from} (${how})`);
  }
  return lines.join("\n");
}

/** Where a benchmark's figures go: bench/results/<bench>-<UTC date and time>.json (the folder is made). */
export function resultsFile(root: string, bench: string): string {
  mkdirSync(path.join(root, "bench/results"), { recursive: true });
  return path.join(root, `bench/results/${bench}-${new Date().toISOString().replace(/[:.]/g, "-").slice(0, 19)}.json`);
}

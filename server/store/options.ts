/**
 * Which backend the control store opens, from the environment. Pure: the environment and the
 * working directory are parameters.
 */
import path from "node:path";

export type StoreTarget =
  | { backend: "pglite"; memory: true }
  | { backend: "pglite"; memory: false; dataDir: string }
  | { backend: "postgres"; url: string };

export const DEFAULT_STORE_DIR = path.join(".data", "store");

/**
 * HA_STORE_URL (postgres://…) selects a real PostgreSQL; otherwise embedded PGlite in HA_STORE_DIR
 * (default `.data/store` under `cwd`; `:memory:` keeps nothing across restarts).
 * Throws an Error whose message never contains the URL.
 */
export function storeTargetFromEnv(env: Record<string, string | undefined>, cwd: string): StoreTarget {
  const url = env.HA_STORE_URL?.trim();
  if (url) {
    if (!isPostgresUrl(url)) throw new Error("HA_STORE_URL must be a postgres:// or postgresql:// URL");
    return { backend: "postgres", url };
  }
  const dir = env.HA_STORE_DIR?.trim() || DEFAULT_STORE_DIR;
  if (dir === ":memory:") return { backend: "pglite", memory: true };
  return { backend: "pglite", memory: false, dataDir: path.resolve(cwd, dir) };
}

export function isPostgresUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === "postgres:" || u.protocol === "postgresql:") && u.hostname !== "";
  } catch {
    return false;
  }
}

/**
 * The control plane must not depend on what it monitors: returns the index of the first monitored
 * DSN on the same server (host and port; another database there is still the monitored server), or
 * -1. Only catches the direct case: a VIP or proxy in front of a monitored node is not visible here.
 */
export function monitoredMatch(storeUrl: string, monitoredDsns: readonly string[]): number {
  const key = (s: string) => {
    const u = new URL(s);
    return `${u.hostname.toLowerCase()}:${u.port || "5432"}`;
  };
  let store: string;
  try {
    store = key(storeUrl);
  } catch {
    return -1;
  }
  return monitoredDsns.findIndex((dsn) => {
    try {
      return key(dsn) === store;
    } catch {
      return false; // the config loader judges DSNs; an unparsable one matches nothing
    }
  });
}

import "server-only";
import { AppError } from "@/server/errors";
import { tryGetConfig } from "@/server/config";
import { monitoredMatch, storeTargetFromEnv, type StoreTarget } from "./options";
import { openStore, type OpenStoreOptions, type Store } from "./store";

export { openStore, type OpenStoreOptions, type Store } from "./store";
export type { SeriesPoint, Resolution } from "./buckets";
export type {
  EventInput,
  EventQuery,
  Instant,
  KnownMetric,
  LatestTransitionsQuery,
  MaintainResult,
  MonitorRun,
  MonitorRunQuery,
  SampleInput,
  SampleRecord,
  SeriesQuery,
  StoredEvent,
  Transition,
  TransitionInput,
  TransitionQuery,
  TransitionRecord,
} from "./inputs";
export { KNOWN_METRICS } from "./inputs";
export { TRANSITION_STATUSES, type TransitionStatus } from "./schema";

/** One store per server process, on globalThis so `next dev` hot reloads do not open a second PGlite. */
const g = globalThis as unknown as { __haStore?: Promise<Store> };

/**
 * The app's control store, opened on first use from HA_STORE_URL / HA_STORE_DIR. A failed open is
 * not cached: the next call tries again.
 */
export function getStore(): Promise<Store> {
  g.__haStore ??= openFromEnv().catch((e: unknown) => {
    g.__haStore = undefined;
    throw e;
  });
  return g.__haStore;
}

/** Closes the process's store (call on SIGTERM, after the runtime stopped writing). */
export async function closeStore(): Promise<void> {
  const opening = g.__haStore;
  g.__haStore = undefined;
  const store = await opening?.catch(() => undefined);
  await store?.close();
}

async function openFromEnv(): Promise<Store> {
  let target: StoreTarget;
  try {
    // turbopackIgnore: the data dir must not be traced into the build output.
    target = storeTargetFromEnv(process.env, /* turbopackIgnore: true */ process.cwd());
  } catch (e) {
    throw new AppError("CONFIG_INVALID", (e as Error).message);
  }
  if (target.backend === "postgres") refuseMonitoredServer(target.url);
  const opts: OpenStoreOptions = target.backend === "postgres" ? { url: target.url } : target.memory ? { memory: true } : { dataDir: target.dataDir };
  return openStore(opts);
}

function refuseMonitoredServer(url: string): void {
  const loaded = tryGetConfig();
  if (!loaded.ok) return; // the config's own error is reported where the config is used
  const nodes = loaded.config.clusters.flatMap((c) => c.nodes.map((n) => ({ label: `${c.id}/${n.name}`, dsn: n.dsn })));
  const i = monitoredMatch(url, nodes.map((n) => n.dsn));
  if (i >= 0) {
    throw new AppError("CONFIG_INVALID", `HA_STORE_URL points at the monitored PostgreSQL ${nodes[i]!.label}; the control store must live elsewhere`);
  }
}

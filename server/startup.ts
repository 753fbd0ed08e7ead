import { ConfigError, loadConfig } from "@/server/config/load";

/**
 * Called once from instrumentation.ts in the Node runtime. The dashboard never starts
 * half-configured: an invalid topology file stops the process with the problems listed.
 */
export function checkConfigOrExit(): void {
  try {
    loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`[ha-control-room] ${e.message}`);
      console.error("[ha-control-room] refusing to start with an invalid configuration");
      process.exit(1);
    }
    throw e;
  }
}

/**
 * Open the control store and start polling. A store that cannot be opened stops the process: running
 * without it would lose transitions that SLA reporting depends on.
 */
export async function startMonitoring(): Promise<void> {
  const [{ getStore, closeStore }, { startRuntime, stopRuntime }, { storeSink }, pools] = await Promise.all([
    import("@/server/store"),
    import("@/server/runtime"),
    import("@/server/runtime/sink"),
    import("@/server/collectors/shutdown"),
  ]);
  let store;
  try {
    store = await getStore();
  } catch (e) {
    console.error(`[ha-control-room] cannot open the control store: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
  await startRuntime(storeSink(store));
  setInterval(() => pools.closeIdleCollectorConnections(), 60_000).unref();

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[ha-control-room] ${signal}: stopping the poller and closing the control store`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    try {
      await stopRuntime();
      await pools.closeCollectorConnections();
      await closeStore();
    } finally {
      process.exit(0);
    }
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
}

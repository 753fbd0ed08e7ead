import { ConfigError, loadConfig } from "@/server/config/load";
import type { Store } from "@/server/store";

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
  const alerting = await startDelivery(store);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[ha-control-room] ${signal}: stopping the poller and closing the control store`);
    const force = setTimeout(() => process.exit(1), SHUTDOWN_FORCE_MS);
    force.unref();
    try {
      // Before the poller stops: a running action's verification reads through it.
      await finishRunningActions(store);
      await stopRuntime();
      // After the runtime: its last transitions' alerts are in the outbox, and stay there for the next start.
      await alerting.stop().catch(() => {});
      await pools.closeCollectorConnections();
      await closeStore();
    } finally {
      process.exit(0);
    }
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
}

/** Alert delivery (nothing when the config has no `alerting:` section). A failure to start it is logged, not fatal. */
async function startDelivery(store: Store): Promise<{ stop(): Promise<void> }> {
  try {
    const [{ startAlerting }, { getConfig }] = await Promise.all([import("@/server/alerting"), import("@/server/config")]);
    const level = process.env.HA_LOG_LEVEL === "debug" ? 0 : 1;
    return await startAlerting({
      store,
      config: getConfig(),
      log: (l, line) => {
        if (l === "debug" && level > 0) return;
        (l === "error" ? console.error : console.log)(line);
      },
    });
  } catch (e) {
    console.error(`[ha-control-room] alert delivery did not start: ${e instanceof Error ? e.message : String(e)}`);
    return { stop: async () => {} };
  }
}

/** After SIGTERM the process exits within this, whatever is still pending. */
const SHUTDOWN_FORCE_MS = 10_000;
/** Of that, how long running actions may take to finish; the rest is for recording and closing. */
const SHUTDOWN_ACTIONS_WAIT_MS = 7_000;

/** Waits (bounded) for this process's running actions; records the ones it must cut off as interrupted. */
async function finishRunningActions(store: Store): Promise<void> {
  try {
    const [{ drainExecutions }, { getRuntime }, { actionAlertOptions }, { getConfig }] = await Promise.all([
      import("@/server/actions"),
      import("@/server/runtime"),
      import("@/server/alerting/actions"),
      import("@/server/config"),
    ]);
    const instanceId = getRuntime()?.instanceId;
    if (!instanceId) return;
    const r = await drainExecutions({ store, now: Date.now, instanceId, alerts: actionAlertOptions(getConfig()) }, SHUTDOWN_ACTIONS_WAIT_MS);
    if (r.finished.length > 0) console.log(`[ha-control-room] waited for ${r.finished.length} running action(s) to finish`);
    for (const a of r.interrupted) console.warn(`[ha-control-room] action #${a.id} (${a.kind} on ${a.targetId}) interrupted by shutdown; recorded as ${a.state}`);
  } catch (e) {
    console.error(`[ha-control-room] could not record running actions at shutdown: ${e instanceof Error ? e.message : String(e)}`);
  }
}

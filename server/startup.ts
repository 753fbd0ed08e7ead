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

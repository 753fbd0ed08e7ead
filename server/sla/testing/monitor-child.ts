/**
 * The dashboard's monitoring half as its own process, for the SLA crash test: the same start-up path
 * as `next start` (config check, control store from HA_STORE_DIR, runtime, SIGTERM handling), without
 * the web server. Run with: node --import tsx --import ./bench/server-only-shim.mjs <this file>
 */
import { checkConfigOrExit, startMonitoring } from "@/server/startup";

checkConfigOrExit();
await startMonitoring();
console.log(`[monitor-child] ready pid ${process.pid}`);

import "server-only";

/**
 * Guarded actions: one service function per verb. Routers call these; tests call them
 * with an explicit actor and injected deps (store, config, clock).
 *   request → (preflight) → approve → execute → verify → record; reject / cancel; queries and a live feed.
 */
export { request, type RequestResult } from "./request";
export { preflight, runPreflight } from "./preflight";
export { approve } from "./approve";
export { reject, cancel } from "./decide";
export { execute } from "./execute";
export { verify, keepWatching } from "./verify";
export { record } from "./record";
export { startExecution, runningExecutions } from "./runner";
export { drainExecutions } from "./shutdown";
export { sweep } from "./sweep";
export { getActionView, listActionViews, auditList, auditCsvExport, liveActions } from "./queries";
export { systemActor, type ActionActor, type ActionDeps } from "./types";

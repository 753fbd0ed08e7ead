import packageJson from "@/package.json";
import { getRuntime } from "@/server/runtime";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The poller evaluates every second; older than this and the dashboard is not doing its job. */
const MAX_EVALUATION_AGE_MS = 5_000;

/**
 * Liveness of the dashboard itself, for HAProxy or an orchestrator: 200 while the poller evaluates.
 * It deliberately does not depend on any monitored component: an outage of what we watch must not
 * mark the watcher down.
 */
export function GET() {
  const rt = getRuntime();
  const last = rt?.current().monitor.lastEvaluationAt ?? null;
  const now = Date.now();
  const ageMs = last === null ? null : now - last;
  const ok = rt !== undefined && (ageMs === null ? now - rt.startedAt < MAX_EVALUATION_AGE_MS : ageMs < MAX_EVALUATION_AGE_MS);
  return Response.json(
    {
      status: ok ? "ok" : "stalled",
      uptimeSeconds: Math.round(process.uptime()),
      version: packageJson.version,
      poller: rt ? { units: rt.units.length, lastEvaluationAgeMs: ageMs } : null,
    },
    { status: ok ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
}

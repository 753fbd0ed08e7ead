import { getRuntime } from "@/server/runtime";
import { toPrometheus } from "@/server/runtime/metrics";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Prometheus scrape endpoint: statuses, lag, probe durations, last transitions, findings. */
export function GET() {
  const rt = getRuntime();
  if (!rt) return new Response("# poller not running in this process yet\n", { status: 503, headers: { "content-type": "text/plain; version=0.0.4" } });
  return new Response(toPrometheus(rt.current()), { headers: { "content-type": "text/plain; version=0.0.4", "cache-control": "no-store" } });
}

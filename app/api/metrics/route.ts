import { tryGetConfig } from "@/server/config";
import { requestClientAddress } from "@/server/http/client-address";
import { mayScrape } from "@/server/http/metrics-access";
import { getRuntime } from "@/server/runtime";
import { toPrometheus } from "@/server/runtime/metrics";
import { gatherMetricsExtras } from "@/server/runtime/metrics-extras";
import { getStore } from "@/server/store";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const TEXT = { "content-type": "text/plain; version=0.0.4", "cache-control": "no-store" };

/**
 * Prometheus scrape endpoint: statuses, lag, probe durations, last transitions, findings, VRRP and Redis
 * roles, and from the control store firing alerts, notifications and SLA budgets (each under a short
 * deadline: a slow store drops its part from the scrape, never the scrape). Who may scrape: `metrics:` in the config.
 */
export async function GET(request: Request) {
  const loaded = tryGetConfig();
  if (!loaded.ok) return new Response("# config invalid; see the server log\n", { status: 503, headers: TEXT });
  const m = loaded.config.metrics;
  const allowed = mayScrape(
    { public: m.public, bearerToken: m.bearerToken?.reveal() },
    { ip: requestClientAddress(request.headers), authorization: request.headers.get("authorization") },
  );
  if (!allowed) {
    return new Response("# metrics need Authorization: Bearer <metrics.bearerToken> from this address\n", {
      status: 401,
      headers: { ...TEXT, "www-authenticate": 'Bearer realm="metrics"' },
    });
  }
  const rt = getRuntime();
  if (!rt) return new Response("# poller not running in this process yet\n", { status: 503, headers: TEXT });
  const snapshot = rt.current();
  const extras = await gatherMetricsExtras({ config: loaded.config, getStore, now: Date.now() });
  return new Response(toPrometheus(snapshot, extras), { headers: TEXT });
}

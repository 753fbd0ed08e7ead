import packageJson from "@/package.json";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * Liveness of the dashboard itself, for HAProxy or an orchestrator. It deliberately does not touch
 * any monitored component: an outage of what we watch must not mark the watcher down.
 */
export function GET() {
  return Response.json(
    { status: "ok", uptimeSeconds: Math.round(process.uptime()), version: packageJson.version },
    { headers: { "cache-control": "no-store" } },
  );
}

/** What a lab run can leave behind: processes, postmasters, namespaces, open ports. */
import { readdirSync } from "node:fs";
import path from "node:path";
import { REPO, cmdline, daemonPid, daemons, postmasterPid } from "./daemons";
import { portOpen } from "./inspect";
import { ourNetns } from "./netns";
import { isAlive } from "./proc";
import { ALERTMANAGER, APPS, ETCD_MEMBERS, HAPROXY, LATENCY_PROXY, OIDC, PG_NODES, REDIS_NODES, SENTINELS, STORE_PG, VIP_RELAY_PORTS, WEBHOOK_SINK, paths } from "./topology";

const SERVICES = ["app.ts", "oidc.ts", "vip-relay.py", "latency-proxy.ts", "webhook-sink.ts"].map((f) => path.join(REPO, "e2e/lab/services", f));

/** Processes whose command line names this lab's folder or its app services: ours by construction. */
export function strayLabProcesses(): number[] {
  const out: number[] = [];
  for (const e of readdirSync("/proc")) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    const cl = cmdline(Number(e));
    if (cl.includes(paths.root + "/") || SERVICES.some((s) => cl.includes(s))) out.push(Number(e));
  }
  return out.filter((p) => isAlive(p));
}

/** Everything a test needs to assert that `down` left nothing behind. */
export async function leftovers(): Promise<string[]> {
  const found: string[] = [];
  for (const d of daemons) if (daemonPid(d)) found.push(`process ${d.name}`);
  for (const p of strayLabProcesses()) found.push(`process ${p}: ${cmdline(p).slice(0, 120)}`);
  for (const n of PG_NODES) if (postmasterPid(n.name)) found.push(`postmaster ${n.name}`);
  for (const ns of ourNetns()) found.push(`netns ${ns}`);
  const ports = [...ETCD_MEMBERS.flatMap((m) => [m.client, m.peer]), ...PG_NODES.flatMap((n) => [n.pg, n.rest]), ...REDIS_NODES.map((n) => n.port), ...SENTINELS.map((s) => s.port), HAPROXY.rw, HAPROXY.ro, HAPROXY.trading, HAPROXY.stats, STORE_PG.port, OIDC.port, LATENCY_PROXY.port, ALERTMANAGER.port, WEBHOOK_SINK.port, ...Object.values(VIP_RELAY_PORTS), ...Object.values(APPS).flatMap((a) => [("http" in a ? a.http : 0), ("tcp" in a ? a.tcp : 0)]).filter(Boolean)];
  for (const p of ports) if (await portOpen(p)) found.push(`port ${p}`);
  return found;
}

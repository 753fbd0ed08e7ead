/** `lab status`: one plain-text report of every layer, as the lab's own probes see it. */
import { readFileSync } from "node:fs";
import { daemonPid, findDaemon } from "./daemons";
import { partitioned } from "./faults";
import { appHealth, etcdHealth, httpStatus, haproxyRwTarget, haproxyStats, patroniCluster, portOpen, sentinelMasters, vipHolder, vrrpStates } from "./inspect";
import { ourNetns } from "./netns";
import { existsSync, procState } from "./proc";
import { amAlerts, amReady, sinkRecords } from "./alerting";
import { ALERTMANAGER, APPS, ETCD_MEMBERS, HAPROXY, HOST, OIDC, WEBHOOK_SINK, PG_NODES, REDIS_NODES, SENTINELS, VRRP_INSTANCES, paths, type AppName } from "./topology";

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ").trimEnd()).join("\n");
}

function procLabel(pid: number | undefined): string {
  if (!pid) return "not running";
  return procState(pid) === "T" ? `FROZEN (pid ${pid})` : `running (pid ${pid})`;
}

export async function status(): Promise<string> {
  const [cluster, masters, rw, stats, apps, etcd] = await Promise.all([
    patroniCluster(),
    sentinelMasters(),
    haproxyRwTarget(),
    haproxyStats(),
    Promise.all((Object.keys(APPS) as AppName[]).map(async (a) => [a, await appHealth(a)] as const)),
    etcdHealth(),
  ]);
  const out: string[] = [];
  out.push(`Lab state in ${paths.root}; namespaces: ${ourNetns().join(", ") || "none"}`);
  out.push("\netcd (Patroni's DCS)");
  out.push(
    table([
      ["member", "client", "health", "leader", "raft term", "process"],
      ...ETCD_MEMBERS.map((m) => {
        const h = etcd?.find((x) => x.name === m.name);
        return [m.name, `:${m.client}`, h ? (h.healthy ? "healthy" : `unhealthy${h.error ? `: ${h.error}` : ""}`) : "-", h?.leader ?? "-", String(h?.raftTerm ?? "-"), procLabel(daemonPid(findDaemon(m.name)))];
      }),
    ]),
  );
  out.push("\nPatroni (labcluster)");
  out.push(
    table([
      ["member", "role", "state", "timeline", "lag", "process"],
      ...PG_NODES.map((n) => {
        const m = cluster?.members.find((x) => x.name === n.name);
        return [n.name, m?.role ?? "-", m?.state ?? "-", String(m?.timeline ?? "-"), String(m?.lag ?? (m ? 0 : "-")), procLabel(daemonPid(findDaemon(n.name)))];
      }),
    ]),
  );
  out.push(`HAProxy pg_rw (:${HAPROXY.rw}) reaches: ${rw ? `port ${rw.port}${rw.inRecovery ? " (IN RECOVERY!)" : " (primary)"}` : "nothing"}`);
  out.push("\nRedis Sentinel");
  out.push(table([["sentinel", "master", "process"], ...SENTINELS.map((s) => [s.name, masters[s.name] ?? "no answer", procLabel(daemonPid(findDaemon(s.name)))])]));
  out.push(table([["redis", "process"], ...REDIS_NODES.map((n) => [`${n.name} :${n.port}`, procLabel(daemonPid(findDaemon(n.name)))])]));
  out.push(`\nVRRP (keepalived)${partitioned() ? ": PARTITIONED (the nodes cannot hear each other; npm run lab -- partition off)" : ""}`);
  const vs = vrrpStates();
  out.push(
    table([
      ["instance", "node", "state", "priority", "keepalived", "VIP answers from"],
      ...vs.map((s) => {
        const vi = VRRP_INSTANCES.find((v) => v.name === s.instance);
        const drainFile = paths.drainFile(s.node);
        const drained = existsSync(drainFile) && readFileSync(drainFile, "utf8").trim() !== "0";
        return [s.instance, s.node, s.keepalivedAlive ? s.state : `DOWN (last: ${s.state})`, String(s.priority ?? "-"), `${procLabel(daemonPid(findDaemon(s.node)))}${drained ? " DRAINED" : ""}`, vi ? (vipHolder(vi.vip) ?? "-") : "-"];
      }),
    ]),
  );
  out.push("\nHAProxy backends");
  out.push(
    table([
      ["backend", "server", "status", "check"],
      ...(stats ?? []).filter((r) => !["FRONTEND", "BACKEND"].includes(r.svname) && r.pxname !== "stats").map((r) => [r.pxname, r.svname, r.status, r.check_status]),
    ]),
  );
  out.push("\nApplication services");
  out.push(
    table([
      ["service", "role", "/health", "process"],
      ...apps.map(([a, code]) => [a, APPS[a].role, code === undefined ? ("http" in APPS[a] ? "no answer" : "-") : String(code), procLabel(daemonPid(findDaemon(a)))]),
    ]),
  );
  const discovery = await httpStatus(`http://${HOST}:${OIDC.port}/.well-known/openid-configuration`);
  out.push(`\nOpenID provider (:${OIDC.port}): discovery ${discovery ?? "no answer"}, ${procLabel(daemonPid(findDaemon("oidc")))}`);
  const [amUp, active, received] = await Promise.all([amReady(), amAlerts().catch(() => undefined), sinkRecords().catch(() => undefined)]);
  out.push(`Alertmanager (:${ALERTMANAGER.port}): ${amUp ? "ready" : "not ready"}, ${active ? `${active.length} active alert(s)` : "no answer"}, ${procLabel(daemonPid(findDaemon("alertmanager")))}`);
  out.push(`Webhook sink (:${WEBHOOK_SINK.port}): ${received ? `${received.length} request(s) recorded` : "no answer"}, ${procLabel(daemonPid(findDaemon("webhook-sink")))}`);
  const openPorts = await Promise.all([...ETCD_MEMBERS.map((m) => m.client), ...PG_NODES.map((n) => n.pg)].map((p) => portOpen(p)));
  out.push(`\nports open: etcd ${openPorts.slice(0, ETCD_MEMBERS.length).filter(Boolean).length}/${ETCD_MEMBERS.length}, postgres ${openPorts.slice(ETCD_MEMBERS.length).filter(Boolean).length}/3`);
  return out.join("\n");
}

import type { Finding } from "@/lib/health";
import type { Kind } from "@/server/collectors/registry";
import { looksReadOnly, serverMatchesNode } from "./topology";
import { dataOf, type HealthDataOf, type Observation } from "./types";
import type { ClusterTopology } from "./units";
import { unitKey } from "@/lib/keys";

/**
 * Cross-layer checks: facts that are each fine alone but contradict each other across components.
 * Every check reads only fresh observations (no older than `maxAgeMs`), because mixing a new view of
 * one component with an old view of another is exactly what produces false split brains. A finding
 * is returned CRITICAL; the evaluator holds it as a WARNING until it has lasted long enough to rule
 * out the brief overlaps a healthy switchover shows.
 */

export interface ConsistencyInput {
  /** The latest observation of each unit. */
  observations: readonly Observation[];
  now: number;
  /** An observation older than this is ignored; a function gives each unit its own limit. */
  maxAgeMs: number | ((o: Observation) => number);
  /** The Patroni clusters' nodes with their configured addresses (to map HAProxy servers to nodes). */
  clusters?: readonly ClusterTopology[];
}

export type Check = (input: ConsistencyInput) => Finding[];

/** Fresh observations of one kind that carry data, in input order. */
function fresh<K extends Kind>(input: ConsistencyInput, kind: K): { o: Observation; d: HealthDataOf<K> }[] {
  const out: { o: Observation; d: HealthDataOf<K> }[] = [];
  for (const o of input.observations) {
    if (o.kind !== kind) continue;
    const max = typeof input.maxAgeMs === "number" ? input.maxAgeMs : input.maxAgeMs(o);
    if (input.now - o.at > max) continue;
    const d = dataOf(o, kind);
    if (d) out.push({ o, d });
  }
  return out;
}

const list = (xs: readonly string[]) => (xs.length <= 1 ? (xs[0] ?? "") : `${xs.slice(0, -1).join(", ")} and ${xs[xs.length - 1]}`);
const critical = (input: ConsistencyInput, f: Omit<Finding, "severity" | "since">): Finding => ({ ...f, severity: "CRITICAL", since: input.now });
const pgKey = (cluster: string, node: string) => unitKey("postgres", cluster, node);

/** The fresh Patroni view of each cluster, with its PostgreSQL nodes' fresh answers. */
function clusterViews(input: ConsistencyInput) {
  const patroni = new Map(fresh(input, "patroni").map((x) => [x.o.targetId, x] as const));
  const postgres = fresh(input, "postgres").filter((x) => x.o.result.ok && x.o.node);
  const ids = [...new Set([...patroni.keys(), ...postgres.map((x) => x.o.targetId)])];
  return ids.map((id) => ({ id, patroni: patroni.get(id), nodes: postgres.filter((x) => x.o.targetId === id) }));
}

/** Two keepalived nodes MASTER for one instance. */
export const checkVrrpSplitBrain: Check = (input) =>
  fresh(input, "vrrp")
    .filter(({ d }) => d.masters.length > 1)
    .map(({ o, d }) =>
      critical(input, {
        id: `split-brain:${o.targetId}`,
        title: `VRRP split brain: ${list(d.masters)} are all MASTER for ${d.instance}`,
        explanation:
          `${list(d.masters)} each claim MASTER for ${d.instance} and hold VIP ${list(d.vips)} at the same time. ` +
          `Both answer ARP for the address, so clients reach one or the other unpredictably and connections break whenever the network flips between them. ` +
          `It usually means the nodes cannot hear each other's VRRP adverts (a partition, or a firewall dropping protocol 112), or a killed keepalived left the VIP on its node.`,
        subjects: [o.unitKey],
      }),
    );

/**
 * A keepalived node stopped reporting while its last word was MASTER, and a peer now says MASTER for
 * the same instance. A killed (or frozen) keepalived does not remove its addresses: the VIP is
 * likely configured on both nodes. A clean stop says STOP or BACKUP first, so it never matches.
 */
export const checkVrrpDuplicateVip: Check = (input) =>
  fresh(input, "vrrp").flatMap(({ o, d }) =>
    d.nodes
      .filter((n) => n.silent && n.lastState === "MASTER" && d.masters.some((m) => m !== n.name))
      .map((n) => {
        const holders = d.masters.filter((m) => m !== n.name);
        const answered = d.vipAnswer?.node ? ` The VIP currently answers as ${d.vipAnswer.node}.` : "";
        return critical(input, {
          id: `duplicate-vip:${o.targetId}/${n.name}`,
          title: `Possible duplicate VIP: ${n.name}'s keepalived stopped as MASTER; its VIP ${list(d.vips)} may still be configured there while ${list(holders)} holds it`,
          explanation:
            `keepalived on ${n.name} stopped reporting (${n.error ?? "no heartbeat"}) while it was MASTER for ${d.instance}, and ${list(holders)} has taken over. ` +
            `A keepalived that is killed (SIGKILL, OOM killer) or frozen never removes its virtual addresses, so ${list(d.vips)} may be configured on ${n.name} and ${list(holders)} at once: ` +
            `both answer ARP for it and clients reach either, breaking connections whenever the network flips between them.${answered} ` +
            `Check with \`ip addr\` on ${n.name}; remove the address there (or restart keepalived, which takes it back cleanly).`,
          subjects: [o.unitKey],
        });
      }),
  );

/**
 * Who answers on the VIP (the instance's identity probe) is not keepalived's single MASTER: traffic
 * for the VIP reaches another node than the one keepalived believes holds it.
 */
export const checkVipAnswer: Check = (input) =>
  fresh(input, "vrrp")
    .filter(({ d }) => d.vipAnswer?.answer != null && d.masters.length === 1 && d.vipAnswer.node !== d.masters[0])
    .map(({ o, d }) => {
      const who = d.vipAnswer!.node ?? `"${d.vipAnswer!.answer}" (no node of ${d.instance})`;
      return critical(input, {
        id: `vip-answer:${o.targetId}`,
        title: `VIP ${list(d.vips)} answered by ${who}, but keepalived's MASTER for ${d.instance} is ${d.masters[0]}`,
        explanation:
          `A request through ${list(d.vips)} was answered by ${who}, while keepalived says ${d.masters[0]} is MASTER. ` +
          `Clients reach a node keepalived does not consider the holder: the address is still configured on another node (a killed keepalived, a manual \`ip addr add\`), ` +
          `or the network's ARP caches still point at the old holder (gratuitous ARP lost or ignored).`,
        subjects: [o.unitKey],
      });
    });

/**
 * HAProxy's read-write backend for a cluster (the proxy whose servers are the cluster's PostgreSQL
 * nodes, by host:port or name, and whose name does not say read-only) has a server UP that is not
 * Patroni's leader.
 */
export const checkHaproxyWriteTarget: Check = (input) => {
  const findings: Finding[] = [];
  const haproxies = fresh(input, "haproxy");
  for (const c of clusterViews(input)) {
    const p = c.patroni?.d;
    const leaderRole = p?.members.find((m) => m.name === p.leader)?.role;
    if (!p?.leader || leaderRole === "standby_leader") continue;
    const configured = input.clusters?.find((t) => t.id === c.id)?.nodes ?? [];
    const names = [...new Set([...configured.map((n) => n.name), ...p.members.map((m) => m.name)])];
    const nodes = names.map((name) => {
      const m = p.members.find((x) => x.name === name);
      return {
        name,
        address: configured.find((n) => n.name === name)?.address ?? null,
        memberAddress: m?.host && m.port ? `${m.host.toLowerCase()}:${m.port}` : null,
      };
    });
    for (const { o: h, d } of haproxies) {
      for (const proxy of d.proxies) {
        if (looksReadOnly(proxy.name)) continue;
        const mapped = proxy.servers.flatMap((s) => {
          const node = nodes.find((n) => serverMatchesNode(s, n));
          return node ? [{ s, node: node.name }] : [];
        });
        if (mapped.length === 0) continue;
        const wrong = mapped.filter(({ s, node }) => node !== p.leader && (s.status.startsWith("UP") || s.status === "no check"));
        if (wrong.length === 0) continue;
        const wrongNodes = wrong.map((w) => w.node);
        findings.push(
          critical(input, {
            id: `haproxy-writes-not-leader:${h.targetId}/${proxy.name}`,
            title: `HAProxy ${h.targetId} sends writes (${proxy.name}) to ${list(wrongNodes)}, not the leader ${p.leader}`,
            explanation:
              `HAProxy ${h.targetId}'s read-write backend ${proxy.name} has ${list(wrong.map((w) => `${w.s.name} (${w.node})`))} UP, but Patroni's leader of ${c.id} is ${p.leader}. ` +
              `Writes through HAProxy reach a node that is not the primary: on a standby they fail, and on a stale primary they commit on a diverged timeline and are lost when it rejoins. ` +
              `Check that the backend's health check is Patroni's /primary endpoint and that HAProxy sees the failover.`,
            subjects: [h.unitKey, c.patroni!.o.unitKey, ...wrongNodes.map((n) => pgKey(c.id, n))],
          }),
        );
      }
    }
  }
  return findings;
};

/** Patroni names a leader whose PostgreSQL says pg_is_in_recovery() = true. */
export const checkLeaderInRecovery: Check = (input) =>
  clusterViews(input).flatMap((c) => {
    const p = c.patroni?.d;
    if (!p?.leader || p.members.find((m) => m.name === p.leader)?.role === "standby_leader") return [];
    const node = c.nodes.find((x) => x.o.node === p.leader);
    if (!node?.d.inRecovery) return [];
    return [
      critical(input, {
        id: `leader-in-recovery:${c.id}`,
        title: `Patroni's leader ${p.leader} of ${c.id} is in recovery (read-only)`,
        explanation:
          `Patroni's DCS names ${p.leader} the leader of ${c.id}, but PostgreSQL on ${p.leader} reports pg_is_in_recovery() = true: it is a read-only standby. ` +
          `Nothing accepts writes although Patroni believes a primary exists, and HAProxy's /primary check follows Patroni. ` +
          `A promotion is stuck, or Patroni's view of the DCS is out of date.`,
        subjects: [c.patroni!.o.unitKey, node.o.unitKey],
      }),
    ];
  });

/** More than one PostgreSQL node of a cluster is not in recovery (accepts writes). */
export const checkMultiplePrimaries: Check = (input) =>
  clusterViews(input).flatMap((c) => {
    const primaries = c.nodes.filter((x) => !x.d.inRecovery);
    if (primaries.length < 2) return [];
    const names = primaries.map((x) => x.o.node!);
    return [
      critical(input, {
        id: `multiple-primaries:${c.id}`,
        title: `${list(names)} all accept writes in ${c.id}`,
        explanation:
          `PostgreSQL on ${list(names)} reports pg_is_in_recovery() = false on each: ${c.id} has more than one primary. ` +
          `Clients that reach different nodes write to diverging copies of the data; whatever is written to the losing side is discarded when it is rewound (pg_rewind) to rejoin. ` +
          `Stop writes to every node but Patroni's leader${c.patroni?.d.leader ? ` (${c.patroni.d.leader})` : ""}.`,
        subjects: primaries.map((x) => x.o.unitKey),
      }),
    ];
  });

/**
 * A PostgreSQL node not in recovery that Patroni does not list as leader: e.g. Patroni alone was killed
 * on the old leader and, with no watchdog, its postgres keeps running as a writable orphan.
 */
export const checkOrphanPrimary: Check = (input) =>
  clusterViews(input).flatMap((c) => {
    if (!c.patroni) return [];
    const leader = c.patroni.d.leader;
    return c.nodes
      .filter((x) => !x.d.inRecovery && x.o.node !== leader)
      .map((x) =>
        critical(input, {
          id: `orphan-primary:${c.id}/${x.o.node}`,
          title: `Orphan primary: ${x.o.node} accepts writes but is not Patroni's leader of ${c.id}`,
          explanation:
            `PostgreSQL on ${x.o.node} reports pg_is_in_recovery() = false, yet Patroni ${leader ? `names ${leader} the leader` : "has no leader"}. ` +
            `This is what remains when Patroni dies on the leader without a watchdog: PostgreSQL keeps running as a primary the cluster no longer knows about. ` +
            `Clients still connected to it (or connecting directly) write data that the real primary never sees; with synchronous replication their commits hang instead. ` +
            `Restart Patroni on ${x.o.node} so it demotes and rejoins, or stop that PostgreSQL.`,
          subjects: [x.o.unitKey, c.patroni!.o.unitKey],
        }),
      );
  });

/** The sentinels of one group name different masters. */
export const checkSentinelAgreement: Check = (input) =>
  fresh(input, "sentinel")
    .filter(({ d }) => !d.agree)
    .map(({ o, d }) => {
      const views = d.sentinels.filter((s) => s.master).map((s) => `${s.address} names ${s.master}`);
      return critical(input, {
        id: `sentinels-disagree:${o.targetId}`,
        title: `Sentinels of ${o.targetId} disagree on the Redis master`,
        explanation:
          `${list(views)}. Clients ask Sentinel where the master is, so clients asking different sentinels write to different Redis instances; ` +
          `when the sentinels converge, the writes made on the losing instance are discarded as it resynchronises. ` +
          `It is normal for a moment during a failover; if it lasts, the sentinels are partitioned from each other.`,
        subjects: [o.unitKey],
      });
    });

/**
 * Two Redis instances of one component report role:master. After a Sentinel failover the old master
 * stays a writable master for about 10 s, and a restarted old master comes back as master for a while.
 */
export const checkRedisMasters: Check = (input) => {
  const byComponent = new Map<string, Observation[]>();
  for (const { o, d } of fresh(input, "redis")) {
    if (!o.result.ok || d.role !== "master") continue;
    byComponent.set(o.component, [...(byComponent.get(o.component) ?? []), o]);
  }
  const sentinels = fresh(input, "sentinel");
  return [...byComponent.entries()]
    .filter(([, masters]) => masters.length > 1)
    .map(([component, masters]) => {
      const names = masters.map((o) => o.targetId);
      const named = sentinels.find((s) => s.o.component === component && s.d.master);
      return critical(input, {
        id: `redis-masters:${component}`,
        title: `${list(names)} are all Redis masters at once`,
        explanation:
          `${list(names)} each report role:master${named ? `, while Sentinel ${named.o.targetId} names ${named.d.master}` : ""}. ` +
          `After a Sentinel failover the old master stays writable for about 10 s (and a restarted old master comes back as master for a while): ` +
          `clients still connected to it write data the new master never receives, and it is thrown away when Sentinel turns the old master into a replica. ` +
          `Clients must find the master through Sentinel; min-replicas-to-write narrows the window.`,
        subjects: masters.map((o) => o.unitKey),
      });
    });
};

export const CHECKS: readonly Check[] = [
  checkVrrpSplitBrain,
  checkVrrpDuplicateVip,
  checkVipAnswer,
  checkHaproxyWriteTarget,
  checkLeaderInRecovery,
  checkMultiplePrimaries,
  checkOrphanPrimary,
  checkSentinelAgreement,
  checkRedisMasters,
];

/** Every check, findings ordered by id. */
export function checkConsistency(input: ConsistencyInput): Finding[] {
  return CHECKS.flatMap((check) => check(input)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

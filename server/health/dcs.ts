import type { EtcdData, EtcdEndpoint } from "@/server/collectors/etcd";
import type { PatroniDcsConfig } from "@/server/collectors/patroni";
import type { Status } from "@/lib/status";
import type { Judgement } from "./judge";
import type { Observation } from "./types";

/**
 * Patroni's DCS (etcd): the unit's own verdict, and what its loss means for the Patroni cluster it
 * serves. Pure, like ./judge.ts; kept apart so the DCS rules and their tests live together.
 */

export type EtcdHealthData = Pick<EtcdData, "leader" | "raftTerm" | "voters" | "quorum" | "healthy"> & {
  endpoints: Pick<EtcdEndpoint, "endpoint" | "member" | "healthy" | "leader" | "errors" | "error">[];
  members: Pick<EtcdData["members"][number], "name" | "clientUrls">[];
};

const nameOf = (e: Pick<EtcdEndpoint, "endpoint" | "member">) => (e.member ? `${e.member} (${e.endpoint})` : e.endpoint);
const errorsOf = (e: Pick<EtcdEndpoint, "errors">) => (e.errors.length ? `: ${[...new Set(e.errors)].join(", ")}` : "");

/**
 * etcd: no endpoint answers → DOWN ("unreachable"); answers but no member is healthy or names a
 * leader → DOWN ("no quorum"); a member down, unhealthy, or naming another leader while a quorum
 * holds → DEGRADED, naming the member.
 */
export function judgeEtcd(o: Observation<EtcdHealthData>): Judgement {
  const d = o.result.data;
  if (!d) return { status: "DOWN", reason: `etcd unreachable: ${o.result.ok ? "no data" : o.result.error}` };
  const answering = d.endpoints.filter((e) => e.error === null);
  if (answering.length === 0) {
    return { status: "DOWN", reason: `etcd unreachable: ${d.endpoints.map((e) => `${nameOf(e)} ${e.error}`).join("; ")}` };
  }
  if (d.healthy === 0 || d.leader === null) {
    const why = [...new Set(answering.flatMap((e) => e.errors))];
    return {
      status: "DOWN",
      reason: `etcd has no quorum: ${answering.length} of ${d.voters} members answer, none healthy${why.length ? ` (${why.join(", ")})` : ""}`,
    };
  }
  const problems: string[] = [];
  for (const e of d.endpoints) {
    if (e.error !== null) problems.push(`member ${nameOf(e)} does not answer (${e.error})`);
    else if (!e.healthy) problems.push(`member ${nameOf(e)} is unhealthy${errorsOf(e)}`);
    else if (e.leader !== d.leader) problems.push(`member ${nameOf(e)} names ${e.leader ?? "no"} leader, the others ${d.leader}`);
  }
  const watched = new Set(d.endpoints.map((e) => e.member));
  const unwatched = d.members.filter((m) => m.name && !watched.has(m.name)).map((m) => m.name);
  if (unwatched.length) problems.push(`member${unwatched.length > 1 ? "s" : ""} ${unwatched.join(", ")} not in dcs.endpoints (not watched)`);
  const summary = `leader ${d.leader}, ${d.healthy} of ${d.voters} members healthy (quorum ${d.quorum})${d.raftTerm !== null ? `, raft term ${d.raftTerm}` : ""}`;
  if (problems.length) return { status: "DEGRADED", reason: `${problems.join("; ")}; quorum kept: ${summary}` };
  return { status: "UP", reason: summary };
}

/**
 * What a lost DCS means for its Patroni cluster, from Patroni's effective /config. Without
 * failsafe_mode the leader cannot renew its key and demotes itself after `ttl`: no primary, so
 * the database is DOWN. With it, the leader stays primary while every member's REST API answers,
 * but nothing can fail over: DEGRADED.
 */
export function dcsLossConsequence(config: Pick<PatroniDcsConfig, "ttl" | "failsafeMode"> | undefined): { status: Status; consequence: string } {
  if (config?.failsafeMode) {
    return {
      status: "DEGRADED",
      consequence:
        "failsafe_mode is on: the leader stays primary while every Patroni member answers its REST API, but no failover or switchover is possible until the DCS is back",
    };
  }
  const ttl = config ? `ttl (${config.ttl} s)` : "ttl (unknown: Patroni's /config has not been read)";
  return {
    status: "DOWN",
    consequence: `Patroni cannot renew the leader key; the leader will demote itself within ${ttl} unless failsafe_mode is on${config ? " (it is off)" : ""}`,
  };
}

/**
 * Patroni's own evidence that it cannot reach the DCS: the node that answered last read it
 * (`dcs_last_seen`) longer ago than a healthy loop allows (loop_wait + retry_timeout, +1 s for
 * Patroni's whole seconds). Catches a DCS the dashboard reaches but Patroni does not. Compares
 * Patroni's clock with the probe's, so it assumes clocks in step (NTP).
 */
export function patroniOutOfDcs(
  d: { answeredBy?: string; dcsLastSeen?: number; dcsConfig?: Pick<PatroniDcsConfig, "ttl" | "failsafeMode" | "loopWait" | "retryTimeout"> },
  at: number,
): Judgement | null {
  if (d.dcsLastSeen === undefined || !d.dcsConfig) return null;
  const age = Math.floor(at / 1000 - d.dcsLastSeen);
  if (age <= d.dcsConfig.loopWait + d.dcsConfig.retryTimeout + 1) return null;
  const loss = dcsLossConsequence(d.dcsConfig);
  return { status: loss.status, reason: `Patroni${d.answeredBy ? ` on ${d.answeredBy}` : ""} last reached the DCS ${age} s ago. ${loss.consequence}` };
}

/**
 * Redis Sentinel failover preflight (pure). Sentinel picks the replica itself; the checks make sure
 * it has a good one, that the sentinels agree and have quorum, and that the previous failover has
 * settled: after SENTINEL FAILOVER the old master stays a writable master for about 10 s (until the
 * sentinels' next INFO poll), and a second failover in that window ends in -failover-abort-no-good-slave.
 */
import type { ActionTarget, PreflightResult } from "@/lib/actions";
import type { ResolvedTargetActions } from "@/server/config/actions";
import { Checks, checkCooldown, checkInFlight } from "./checks";
import type { StoreFacts } from "./types";

export interface SentinelFacts {
  sentinels: { address: string; ok: boolean; master: string | null; quorumOk: boolean | null; error: string | null }[];
  /** The master the answering sentinels agree on; null when none answered or they disagree. */
  master: string | null;
  /** Replicas of the master as a sentinel that names it lists them. */
  replicas: { address: string; flags: string[]; linkOk: boolean }[];
  /** The Redis nodes' own view (INFO replication): the master and every listed replica. */
  nodes: { address: string; role: string | null; error: string | null }[];
  /** The newest +switch-master the dashboard recorded for this group. */
  lastSwitchAt: number | null;
}

const BAD_FLAGS = ["s_down", "o_down", "disconnected"];

export function judgeSentinel(f: SentinelFacts, target: ActionTarget, store: StoreFacts, settings: ResolvedTargetActions, now: number): PreflightResult {
  const c = new Checks();
  const answered = f.sentinels.filter((s) => s.ok);
  const facts: PreflightResult["facts"] = {
    master: f.master,
    sentinelsAnswering: answered.length,
    sentinelsConfigured: f.sentinels.length,
    replicas: f.replicas.map((r) => r.address).join(",") || null,
  };
  const majority = Math.floor(f.sentinels.length / 2) + 1;
  const masters = [...new Set(answered.map((s) => s.master).filter(Boolean))];
  if (answered.length < majority) {
    c.refuse("sentinels", "Sentinels answer and agree", `only ${answered.length} of ${f.sentinels.length} sentinels answer; a failover needs a majority to authorise it`);
  } else if (masters.length !== 1 || f.master === null) {
    c.refuse("sentinels", "Sentinels answer and agree", `the sentinels disagree on the master: ${masters.join(" vs ")}`);
  } else c.ok("sentinels", "Sentinels answer and agree", `${answered.length} of ${f.sentinels.length} name ${f.master}`);

  const quorum = answered.map((s) => s.quorumOk);
  c.expect(quorum.length > 0 && quorum.every((q) => q === true), "quorum", "Sentinel quorum (CKQUORUM)", "quorum reachable", "SENTINEL CKQUORUM is not OK on every answering sentinel");

  if (target.expectedLeader && f.master !== null && target.expectedLeader !== f.master) {
    c.refuse("master", "Master is the one named", `the master changed since the request: it was ${target.expectedLeader}, it is now ${f.master}`);
  } else if (f.master !== null) c.ok("master", "Master is the one named", `master is ${f.master}`);

  const good = f.replicas.filter((r) => r.linkOk && !r.flags.some((x) => BAD_FLAGS.includes(x)));
  c.expect(
    good.length > 0,
    "replica-ready",
    "A replica ready to be promoted",
    `${good.map((r) => r.address).join(", ")} linked to the master`,
    f.replicas.length === 0 ? "the master has no replica to promote" : `no replica is healthy and linked (${f.replicas.map((r) => `${r.address} ${r.flags.join("/")}`).join(", ")})`,
  );

  const unreadable = f.nodes.filter((n) => n.role === null);
  const extraMasters = f.nodes.filter((n) => n.role === "master" && n.address !== f.master);
  if (extraMasters.length > 0) {
    c.refuse(
      "single-master",
      "Only one node acts as master",
      `${extraMasters.map((n) => n.address).join(", ")} still report role master: a previous failover has not settled (the old master stays writable for about 10 s)`,
    );
  } else if (f.master !== null && !f.nodes.some((n) => n.address === f.master && n.role === "master")) {
    const m = f.nodes.find((n) => n.address === f.master);
    c.refuse("single-master", "Only one node acts as master", `${f.master} does not report role master (${m?.role ?? m?.error ?? "not read"})`);
  } else {
    c.ok("single-master", "Only one node acts as master", unreadable.length ? `${unreadable.map((n) => n.address).join(", ")} unreadable` : "one master");
  }

  checkInFlight(c, store);
  checkCooldown(c, settings.cooldownMs, f.lastSwitchAt, store, now);
  return c.result(now, facts);
}

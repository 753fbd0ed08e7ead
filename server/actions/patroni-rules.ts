/**
 * Patroni switchover/failover preflight (pure), in the order of Patroni's own `is_failover_possible`,
 * with a plain reason for every refusal. Facts are read by ./patroni.ts.
 */
import type { ActionTarget, PreflightResult } from "@/lib/actions";
import type { ResolvedTargetActions } from "@/server/config/actions";
import type { ReplicationRow } from "@/server/collectors/types";
import { formatBytes as bytes } from "@/lib/format";
import { Checks, checkCooldown, checkInFlight } from "./checks";
import type { StoreFacts } from "./types";

export interface PatroniMemberFact {
  name: string;
  role: string;
  state: string;
  timeline: number | null;
  /** Patroni's own figure from /cluster (bytes; "unknown"; null for the leader). */
  lag: number | "unknown" | null;
}

export type Read<T> = ({ ok: true } & T) | { ok: false; error: string };

export interface PatroniFacts {
  /** Why /cluster could not be read; null when it was. */
  apiError: string | null;
  leader: string | null;
  paused: boolean;
  members: PatroniMemberFact[];
  /** From /config; null when it did not answer. */
  syncMode: "off" | "on" | "quorum" | null;
  maximumLagOnFailover: number | null;
  /** When the newest timeline switch happened (Patroni's /history). */
  lastSwitchAt: number | null;
  /** The leader's PostgreSQL: its timeline and pg_stat_replication. */
  leaderPg: Read<{ timeline: number | null; inRecovery: boolean; replication: ReplicationRow[] }> | null;
  candidate: {
    name: string;
    /** GET /patroni on the candidate; null when the candidate is not a configured node. */
    rest: Read<{ state: string; role: string; nofailover: boolean; timeline: number | null }> | null;
    pg: Read<{ timeline: number | null; inRecovery: boolean; replayPaused: boolean }> | null;
  } | null;
  /**
   * Whether the node that will receive the POST accepts the configured credentials for Patroni's
   * unsafe endpoints (checked without side effects); null when there is no such node to ask.
   */
  restAuth: Read<object> | null;
  /** HAProxy proxies that route only to the leader now ("haproxy/pg_rw"): verification waits for them. */
  rwRoutes: string[];
}

/** Bytes the candidate has not yet received from the leader: send + write + flush lag (Patroni compares received WAL). */
export function receiveLag(row: ReplicationRow): number | null {
  const parts = [row.sendLagBytes, row.writeLagBytes, row.flushLagBytes];
  if (parts.some((p) => p === null)) return null;
  return (parts as number[]).reduce((a, b) => a + b, 0);
}

export function judgePatroni(f: PatroniFacts, target: ActionTarget, store: StoreFacts, settings: ResolvedTargetActions, now: number): PreflightResult {
  const c = new Checks();
  const switchover = target.kind === "patroni_switchover";
  const cand = target.node ?? "";
  const facts: PreflightResult["facts"] = {
    leader: f.leader,
    candidate: cand || null,
    paused: f.paused,
    synchronousMode: f.syncMode,
    maximumLagOnFailover: f.maximumLagOnFailover,
    syncStandbys: f.members.filter((m) => m.role === "sync_standby").map((m) => m.name).join(",") || null,
    rwRoutes: f.rwRoutes.join(",") || null,
  };

  if (f.apiError !== null) {
    c.refuse("patroni-api", "Patroni REST API answers", `no Patroni node answered: ${f.apiError}`);
    checkInFlight(c, store);
    return c.result(now, facts);
  }
  c.ok("patroni-api", "Patroni REST API answers", `${f.members.length} members`);

  if (f.restAuth) {
    const label = "Patroni accepts the dashboard's credentials";
    if (f.restAuth.ok) c.ok("rest-credentials", label, "for switchover and failover");
    else c.refuse("rest-credentials", label, f.restAuth.error);
  }

  c.expect(!f.paused, "not-paused", "Cluster not paused", "not in maintenance mode", "the cluster is paused (maintenance mode): resume it first (patronictl resume)");

  checkLeader(c, f, target);
  const { member, pg } = checkCandidate(c, f, cand);
  checkLag(c, f, facts, switchover, cand, member);
  checkTimeline(c, f, facts, switchover, cand, member, pg);
  checkSyncSet(c, f, cand);
  checkSchedule(c, target, switchover, now);
  checkInFlight(c, store);
  checkCooldown(c, settings.cooldownMs, f.lastSwitchAt, store, now);
  return c.result(now, facts);
}

function checkLeader(c: Checks, f: PatroniFacts, target: ActionTarget): void {
  const switchover = target.kind === "patroni_switchover";
  if (switchover) {
    if (f.leader === null) c.refuse("leader", "Leader is the one named", "the cluster has no leader: use a failover, not a switchover");
    else if (target.expectedLeader && target.expectedLeader !== f.leader) {
      c.refuse("leader", "Leader is the one named", `the leader changed since the request: it was ${target.expectedLeader}, it is now ${f.leader}`);
    } else c.ok("leader", "Leader is the one named", `leader is ${f.leader}`);
  } else {
    c.expect(f.leader === null, "leader", "Cluster has no leader", "no leader: a failover is what is needed", `the cluster has a leader (${f.leader}): use a switchover`);
  }
}

/** The candidate is a standby member, reachable (its REST API and PostgreSQL answer within the deadline) and promotable. */
function checkCandidate(c: Checks, f: PatroniFacts, cand: string): { member: PatroniFacts["members"][number] | undefined; pg: NonNullable<PatroniFacts["candidate"]>["pg"] | null } {
  const member = f.members.find((m) => m.name === cand);
  if (!cand) c.refuse("candidate", "Candidate is a standby member", "no candidate named");
  else if (!member) c.refuse("candidate", "Candidate is a standby member", `${cand} is not a member of the cluster (members: ${f.members.map((m) => m.name).join(", ")})`);
  else if (cand === f.leader) c.refuse("candidate", "Candidate is a standby member", `${cand} is the leader already`);
  else c.ok("candidate", "Candidate is a standby member", `${cand} is a ${member.role}`);

  // Reachable: its own REST API and its PostgreSQL answer within the deadline (a frozen node does not).
  const rest = f.candidate?.rest ?? null;
  const pg = f.candidate?.pg ?? null;
  if (!rest || !pg) c.refuse("candidate-reachable", "Candidate reachable", `${cand || "the candidate"} is not a configured node of this cluster`);
  else if (!rest.ok) c.refuse("candidate-reachable", "Candidate reachable", `${cand}'s Patroni REST API does not answer: ${rest.error}`);
  else if (!pg.ok) c.refuse("candidate-reachable", "Candidate reachable", `${cand}'s PostgreSQL does not answer: ${pg.error}`);
  else if (rest.state !== "running") c.refuse("candidate-reachable", "Candidate reachable", `${cand} is ${rest.state || "not running"}, not running`);
  else if (!pg.inRecovery) c.refuse("candidate-reachable", "Candidate reachable", `${cand}'s PostgreSQL is not in recovery: it is a primary already`);
  else c.ok("candidate-reachable", "Candidate reachable", `${cand}: Patroni ${rest.state}, PostgreSQL in recovery`);

  if (rest?.ok && rest.nofailover) c.refuse("nofailover", "Candidate may be promoted", `${cand} has the nofailover tag`);
  else if (rest?.ok) c.ok("nofailover", "Candidate may be promoted", "no nofailover tag");
  return { member, pg };
}

function checkLag(c: Checks, f: PatroniFacts, facts: PreflightResult["facts"], switchover: boolean, cand: string, member: PatroniFacts["members"][number] | undefined): void {
  const maxLag = f.maximumLagOnFailover ?? 1_048_576;
  facts.lagLimitBytes = maxLag;
  if (switchover) {
    const lp = f.leaderPg;
    if (!lp || !lp.ok) {
      const why = lp && !lp.ok ? lp.error : "the leader is not a configured node";
      c.refuse("candidate-streaming", "Candidate streaming from the leader", `cannot read the leader's replication state: ${why}`);
      c.refuse("candidate-lag", "Candidate lag within maximum_lag_on_failover", "unknown: the leader's replication state could not be read");
    } else {
      const row = lp.replication.find((r) => r.applicationName === cand);
      if (!row) c.refuse("candidate-streaming", "Candidate streaming from the leader", `${cand} is not connected to the leader (not in pg_stat_replication)`);
      else c.expect(row.state === "streaming", "candidate-streaming", "Candidate streaming from the leader", `${cand} is streaming (${row.syncState})`, `${cand} is ${row.state || "not streaming"}, not streaming`);
      const lag = row ? receiveLag(row) : null;
      facts.candidateLagBytes = lag;
      if (lag === null) c.refuse("candidate-lag", "Candidate lag within maximum_lag_on_failover", `${cand}'s lag is unknown`);
      else {
        c.expect(
          lag <= maxLag,
          "candidate-lag",
          "Candidate lag within maximum_lag_on_failover",
          `${bytes(lag)} behind; limit ${bytes(maxLag)}`,
          `${cand} is ${bytes(lag)} behind the leader; maximum_lag_on_failover is ${bytes(maxLag)}`,
        );
      }
    }
  } else {
    c.skip("candidate-streaming", "Candidate streaming from the leader", "no leader to stream from");
    const lag = member?.lag;
    facts.candidateLagBytes = typeof lag === "number" ? lag : null;
    if (typeof lag !== "number") c.refuse("candidate-lag", "Candidate lag within maximum_lag_on_failover", `Patroni reports ${cand}'s lag as ${lag ?? "missing"}`);
    else c.expect(lag <= maxLag, "candidate-lag", "Candidate lag within maximum_lag_on_failover", `${bytes(lag)} behind; limit ${bytes(maxLag)}`, `${cand} is ${bytes(lag)} behind the last leader; maximum_lag_on_failover is ${bytes(maxLag)}`);
  }
}

function checkTimeline(c: Checks, f: PatroniFacts, facts: PreflightResult["facts"], switchover: boolean, cand: string, member: PatroniFacts["members"][number] | undefined, pg: NonNullable<PatroniFacts["candidate"]>["pg"] | null): void {
  // The candidate must be on the timeline it would continue; a standby left on an old one has diverged.
  const candTl = pg?.ok ? pg.timeline : (member?.timeline ?? null);
  const refTl = switchover
    ? f.leaderPg?.ok ? f.leaderPg.timeline : null
    : Math.max(...f.members.map((m) => m.timeline ?? 0), 0) || null;
  facts.leaderTimeline = refTl;
  facts.candidateTimeline = candTl;
  if (candTl === null || refTl === null) c.refuse("timeline", "Same timeline as the leader", "timeline unknown");
  else c.expect(candTl === refTl, "timeline", "Same timeline as the leader", `timeline ${candTl}`, `${cand} is on timeline ${candTl}, the ${switchover ? "leader" : "cluster"} on ${refTl}`);
}

function checkSyncSet(c: Checks, f: PatroniFacts, cand: string): void {
  if (f.syncMode === null) c.refuse("sync-set", "Candidate in the synchronous set", "Patroni's /config did not answer: synchronous mode unknown");
  else if (f.syncMode === "off") c.skip("sync-set", "Candidate in the synchronous set", "synchronous mode is off");
  else {
    const sync = f.members.filter((m) => m.role === "sync_standby").map((m) => m.name);
    c.expect(
      sync.includes(cand),
      "sync-set",
      "Candidate in the synchronous set",
      `${cand} is a synchronous standby`,
      `${cand} is not in the synchronous standby set (${sync.join(", ") || "none"}); in synchronous mode only a synchronous standby may take over without losing acknowledged commits`,
    );
  }
}

function checkSchedule(c: Checks, target: ActionTarget, switchover: boolean, now: number): void {
  if (target.scheduledAt !== undefined) {
    const at = Date.parse(target.scheduledAt);
    c.expect(at > now, "scheduled", "Scheduled time in the future", `at ${new Date(at).toISOString()}`, `the scheduled time ${target.scheduledAt} is not in the future`);
    if (!switchover) c.refuse("scheduled", "Scheduled time in the future", "only a switchover can be scheduled");
  }
}

import { describe, expect, it } from "vitest";
import type { ActionTarget, ActionView } from "@/lib/actions";
import type { ReplicationRow } from "@/server/collectors/types";
import { resolveTargetActions } from "@/server/config/actions";
import { judgePatroni, receiveLag, type PatroniFacts } from "./patroni-rules";

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
const settings = resolveTargetActions("patroni", { cooldownSeconds: 300 });
const noStore = { holder: null, lastExecutedAt: null };

const row = (name: string, over: Partial<ReplicationRow> = {}): ReplicationRow => ({
  applicationName: name, clientAddr: "127.0.0.1", state: "streaming", syncState: "async",
  sendLagBytes: 0, writeLagBytes: 0, flushLagBytes: 0, replayLagBytes: 0, writeLagSeconds: null, flushLagSeconds: null, replayLagSeconds: null,
  ...over,
});

/** A healthy synchronous cluster: pg1 leads on timeline 4, pg3 is the sync standby, pg2 async. */
function facts(over: Partial<PatroniFacts> = {}): PatroniFacts {
  return {
    apiError: null,
    leader: "pg1",
    paused: false,
    members: [
      { name: "pg1", role: "leader", state: "running", timeline: 4, lag: null },
      { name: "pg2", role: "replica", state: "streaming", timeline: 4, lag: 0 },
      { name: "pg3", role: "sync_standby", state: "streaming", timeline: 4, lag: 0 },
    ],
    syncMode: "on",
    maximumLagOnFailover: 1_048_576,
    lastSwitchAt: NOW - 3_600_000,
    leaderPg: { ok: true, timeline: 4, inRecovery: false, replication: [row("pg2"), row("pg3", { syncState: "sync" })] },
    candidate: {
      name: "pg3",
      rest: { ok: true, state: "running", role: "replica", nofailover: false, timeline: 4 },
      pg: { ok: true, timeline: 4, inRecovery: true, replayPaused: false },
    },
    restAuth: { ok: true },
    rwRoutes: ["haproxy/pg_rw"],
    ...over,
  };
}

const switchover = (over: Partial<ActionTarget> = {}): ActionTarget => ({ kind: "patroni_switchover", targetId: "labcluster", node: "pg3", expectedLeader: "pg1", ...over });
const refused = (r: ReturnType<typeof judgePatroni>) => r.checks.filter((c) => c.result === "refused").map((c) => c.id);
const reason = (r: ReturnType<typeof judgePatroni>, id: string) => r.checks.find((c) => c.id === id)?.detail ?? "";

describe("Patroni preflight", () => {
  it("passes a switchover to the streaming sync standby of a healthy cluster", () => {
    const r = judgePatroni(facts(), switchover(), noStore, settings, NOW);
    expect(refused(r)).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.facts).toMatchObject({ leader: "pg1", candidate: "pg3", candidateLagBytes: 0, leaderTimeline: 4, rwRoutes: "haproxy/pg_rw" });
  });

  it("refuses a candidate outside the synchronous set, with Patroni's reason in plain words", () => {
    const f = facts({ candidate: { ...facts().candidate!, name: "pg2" } });
    const r = judgePatroni(f, switchover({ node: "pg2" }), noStore, settings, NOW);
    expect(refused(r)).toEqual(["sync-set"]);
    expect(reason(r, "sync-set")).toMatch(/pg2 is not in the synchronous standby set \(pg3\)/);
  });

  it("does not ask for the sync set when synchronous mode is off", () => {
    const f = facts({ syncMode: "off", candidate: { ...facts().candidate!, name: "pg2" } });
    const r = judgePatroni(f, switchover({ node: "pg2" }), noStore, settings, NOW);
    expect(r.ok).toBe(true);
    expect(r.checks.find((c) => c.id === "sync-set")?.result).toBe("skipped");
  });

  it("refuses when the leader changed since the request", () => {
    const r = judgePatroni(facts({ leader: "pg2" }), switchover(), noStore, settings, NOW);
    expect(refused(r)).toContain("leader");
    expect(reason(r, "leader")).toBe("the leader changed since the request: it was pg1, it is now pg2");
  });

  it("refuses a lagging candidate: lag above maximum_lag_on_failover (1 MiB by default)", () => {
    const lp = { ok: true as const, timeline: 4, inRecovery: false, replication: [row("pg3", { sendLagBytes: 900_000, writeLagBytes: 100_000, flushLagBytes: 100_000 })] };
    const r = judgePatroni(facts({ leaderPg: lp, maximumLagOnFailover: null }), switchover(), noStore, settings, NOW);
    expect(refused(r)).toEqual(["candidate-lag"]);
    expect(reason(r, "candidate-lag")).toBe("pg3 is 1.0 MiB behind the leader; maximum_lag_on_failover is 1.0 MiB");
    // Exactly at the limit passes (Patroni refuses only when greater).
    const at = { ...lp, replication: [row("pg3", { sendLagBytes: 1_048_576 })] };
    expect(judgePatroni(facts({ leaderPg: at }), switchover(), noStore, settings, NOW).ok).toBe(true);
  });

  it("refuses a frozen candidate: its REST API does not answer", () => {
    const f = facts({ candidate: { name: "pg3", rest: { ok: false, error: "no answer within the deadline (2000 ms)" }, pg: { ok: false, error: "no answer within the deadline (2000 ms)" } } });
    const r = judgePatroni(f, switchover(), noStore, settings, NOW);
    expect(refused(r)).toEqual(["candidate-reachable"]);
    expect(reason(r, "candidate-reachable")).toBe("pg3's Patroni REST API does not answer: no answer within the deadline (2000 ms)");
  });

  it("refuses a candidate that is not streaming, and one on another timeline", () => {
    const lp = { ok: true as const, timeline: 5, inRecovery: false, replication: [row("pg3", { state: "catchup" })] };
    const r = judgePatroni(facts({ leaderPg: lp }), switchover(), noStore, settings, NOW);
    expect(refused(r)).toEqual(["candidate-streaming", "timeline"]);
    expect(reason(r, "candidate-streaming")).toBe("pg3 is catchup, not streaming");
    expect(reason(r, "timeline")).toBe("pg3 is on timeline 4, the leader on 5");
  });

  it("refuses a paused cluster, a nofailover tag, another action in flight and the cooldown", () => {
    const holder = { id: 7, kind: "patroni_switchover", state: "requested", requester: { name: "alice" } } as unknown as ActionView;
    const f = facts({ paused: true, lastSwitchAt: NOW - 60_000, candidate: { ...facts().candidate!, rest: { ok: true, state: "running", role: "replica", nofailover: true, timeline: 4 } } });
    const r = judgePatroni(f, switchover(), { holder, lastExecutedAt: null }, settings, NOW);
    expect(refused(r)).toEqual(["not-paused", "nofailover", "in-flight", "cooldown"]);
    expect(reason(r, "in-flight")).toBe("action #7 (patroni_switchover, requested, requested by alice) is in flight on this target");
    expect(reason(r, "cooldown")).toBe("the last failover was 60 s ago; the cooldown is 300 s (wait 240 s)");
  });

  it("counts the cooldown from the dashboard's own last execution as well as Patroni's history", () => {
    const r = judgePatroni(facts({ lastSwitchAt: null }), switchover(), { holder: null, lastExecutedAt: NOW - 10_000 }, settings, NOW);
    expect(refused(r)).toEqual(["cooldown"]);
  });

  it("refuses everything else when Patroni does not answer", () => {
    const r = judgePatroni(facts({ apiError: "pg1: connection refused" }), switchover(), noStore, settings, NOW);
    expect(r.ok).toBe(false);
    expect(reason(r, "patroni-api")).toMatch(/no Patroni node answered/);
  });

  it("refuses when Patroni will not accept the dashboard's credentials, with Patroni's reason", () => {
    const error = "Patroni REST API refused the credentials (HTTP 401); check restUsername and restPassword";
    const r = judgePatroni(facts({ restAuth: { ok: false, error } }), switchover(), noStore, settings, NOW);
    expect(refused(r)).toEqual(["rest-credentials"]);
    expect(reason(r, "rest-credentials")).toBe(error);
  });

  it("failover: only without a leader, only to a sync standby within the lag limit", () => {
    const noLeader = facts({
      leader: null,
      leaderPg: null,
      members: [
        { name: "pg2", role: "replica", state: "running", timeline: 4, lag: 0 },
        { name: "pg3", role: "sync_standby", state: "running", timeline: 4, lag: 2048 },
      ],
    });
    const failover: ActionTarget = { kind: "patroni_failover", targetId: "labcluster", node: "pg3" };
    expect(refused(judgePatroni(noLeader, failover, noStore, settings, NOW))).toEqual([]);
    expect(refused(judgePatroni(facts(), failover, noStore, settings, NOW))).toContain("leader");
    const lagging = { ...noLeader, members: noLeader.members.map((m) => (m.name === "pg3" ? { ...m, lag: 5_000_000 } : m)) };
    expect(refused(judgePatroni(lagging, failover, noStore, settings, NOW))).toEqual(["candidate-lag"]);
  });

  it("a scheduled switchover must be in the future", () => {
    const past = judgePatroni(facts(), switchover({ scheduledAt: new Date(NOW - 1000).toISOString() }), noStore, settings, NOW);
    expect(refused(past)).toEqual(["scheduled"]);
    expect(judgePatroni(facts(), switchover({ scheduledAt: new Date(NOW + 60_000).toISOString() }), noStore, settings, NOW).ok).toBe(true);
  });

  it("receive lag is send + write + flush, unknown when a stage is unknown", () => {
    expect(receiveLag(row("x", { sendLagBytes: 1, writeLagBytes: 2, flushLagBytes: 3, replayLagBytes: 100 }))).toBe(6);
    expect(receiveLag(row("x", { writeLagBytes: null }))).toBeNull();
  });
});

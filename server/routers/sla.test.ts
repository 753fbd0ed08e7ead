import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { parseConfig, type Config } from "@/server/config/load";
import { componentSubject, HOUR, MINUTE, SECOND } from "@/server/sla";
import { openStore, type Store } from "@/server/store/store";
import { storeDb } from "@/server/store/store";
import { insertMaintenanceWindow, listMaintenanceWindows, subjectTransitions } from "@/server/store/sla";
import { insertRequest, transition } from "@/server/store/actions";
import { listAudit, type AuditActor } from "@/server/store/audit";
import { sql } from "drizzle-orm";
import { createInnerTRPCContext } from "@/server/trpc/init";
import { createCaller } from "@/server/trpc/root";
import { testUser } from "@/server/testing/actors";
import type { Role } from "@/lib/roles";

/** The sla router through createCaller, on a real (in-memory) control store. */

let store: Store;
const config: Config = parseConfig(
  stringify({
    version: 1,
    components: [
      { id: "trading-engine", name: "Trading Engine", layer: "application", sla: 99.995 },
      { id: "database", name: "Database", layer: "data", sla: 99.99 },
    ],
    clusters: [{ id: "pg-main", component: "database", nodes: [{ name: "pg1", rest: "http://127.0.0.1:8008", dsn: "postgres://monitor@127.0.0.1:5432/postgres" }] }],
  }),
  "/tmp/sla-router-test.yaml",
  { NODE_ENV: "test" } as NodeJS.ProcessEnv,
);

const caller = (role: Role | null) =>
  createCaller(createInnerTRPCContext({ actor: role ? testUser(role) : null, getConfig: () => config, getStore: async () => store }));

async function rejectsWith(p: Promise<unknown>, code: TRPCError["code"], message?: RegExp) {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e, "expected a TRPCError").toBeInstanceOf(TRPCError);
  expect((e as TRPCError).code).toBe(code);
  if (message) expect((e as TRPCError).message).toMatch(message);
}

beforeAll(async () => {
  store = await openStore({ memory: true });
}, 60_000);
afterAll(async () => {
  await store?.close();
});
beforeEach(async () => {
  await storeDb(store).execute(sql`truncate transitions, monitor_heartbeats, maintenance_windows, incident_classes restart identity`);
});

describe("sla.maintenance", () => {
  const future = () => ({ components: ["database"], start: Date.now() + HOUR, end: Date.now() + 2 * HOUR, reason: "minor version upgrade" });

  it("only an admin creates or cancels a window", async () => {
    await rejectsWith(caller("operator").sla.maintenance.create(future()), "FORBIDDEN", /admin/);
    await rejectsWith(caller(null).sla.maintenance.create(future()), "UNAUTHORIZED");
    const w = await caller("admin").sla.maintenance.create(future());
    expect(w).toMatchObject({ components: ["database"], reason: "minor version upgrade", state: "upcoming", createdBy: "Test admin", cancelledAt: null });
    await rejectsWith(caller("approver").sla.maintenance.cancel({ id: w.id }), "FORBIDDEN");
  });

  it("refuses a window in the past, an unknown component, and an end before the start, naming the field", async () => {
    const admin = caller("admin").sla.maintenance;
    await rejectsWith(admin.create({ ...future(), start: Date.now() - HOUR }), "BAD_REQUEST", /^start: .*past/);
    await rejectsWith(admin.create({ ...future(), components: ["databse"] }), "BAD_REQUEST", /^components: unknown component "databse"/);
    await rejectsWith(admin.create({ ...future(), end: Date.now() }), "BAD_REQUEST", /^end: /);
    await rejectsWith(admin.create({ ...future(), components: ["*", "database"] }), "BAD_REQUEST", /^components: "\*"/);
  });

  it("cancel: an upcoming window never happens; a second cancel is a conflict; an unknown id is not found", async () => {
    const admin = caller("admin").sla.maintenance;
    const w = await admin.create(future());
    const c = await admin.cancel({ id: w.id });
    expect(c.state).toBe("cancelled");
    expect(c.cancelledBy).toBe("Test admin");
    await rejectsWith(admin.cancel({ id: w.id }), "CONFLICT", /already cancelled/);
    await rejectsWith(admin.cancel({ id: 999 }), "NOT_FOUND");
    const listed = await caller("viewer").sla.maintenance.list({});
    expect(listed.map((x) => [x.id, x.state])).toEqual([[w.id, "cancelled"]]);
  });

  it("cancelling an active window ends it now; the elapsed part stays", async () => {
    const admin = caller("admin").sla.maintenance;
    const w = await admin.create({ components: ["*"], start: Date.now(), end: Date.now() + HOUR, reason: "network change" });
    expect(w.state).toBe("active");
    await new Promise((r) => setTimeout(r, 20));
    const c = await admin.cancel({ id: w.id });
    expect(c.state).toBe("over");
    expect(c.effectiveEnd).toBeGreaterThan(c.start);
    expect(c.effectiveEnd).toBeLessThan(c.end);
    const wall = await caller("viewer").sla.wall();
    expect(wall.maintenance).toEqual([]);
  });

  it("creating and cancelling a window are audited: who, from where, the window, the reason", async () => {
    const since = Date.now() - 1;
    const admin = createCaller(createInnerTRPCContext({ actor: testUser("admin"), ip: "10.9.8.7", getConfig: () => config, getStore: async () => store })).sla.maintenance;
    const w = await admin.create(future());
    await admin.cancel({ id: w.id });
    const rows = (await listAudit(store, { since, limit: 100, order: "asc" })).filter((r) => r.targetId === `maintenance:${w.id}`);
    expect(rows.map((r) => [r.event, r.actorName, r.actorRole, r.actorIp, r.reason, r.requestId])).toEqual([
      ["request", "Test admin", "admin", "10.9.8.7", "minor version upgrade", null],
      ["cancel", "Test admin", "admin", "10.9.8.7", "minor version upgrade", null],
    ]);
    expect(rows[0]!.detail).toContain(`maintenance window ${w.id} created: database from ${new Date(w.start).toISOString()}`);
    expect(rows[1]!.detail).toMatch(/cancelled before it started/);
  });

  it("a window whose audit row cannot be written is not stored either (one transaction)", async () => {
    const broken = { id: null, name: "x", role: "admin", ip: null } as unknown as AuditActor;
    const now = Date.now();
    await expect(insertMaintenanceWindow(store, { components: ["database"], start: now + HOUR, end: now + 2 * HOUR, reason: "r", createdAt: now, createdBy: "x" }, broken)).rejects.toThrow();
    expect(await listMaintenanceWindows(store)).toEqual([]);
  });
});

describe("sla.report and sla.budgets from stored transitions", () => {
  it("an incident recorded by a run shows in the report, the budgets and the incident list", async () => {
    const now = Date.now();
    const started = now - 10 * MINUTE;
    await store.heartbeat("run-1", started, now);
    await store.recordTransitions([
      { at: started, subject: componentSubject("trading-engine"), fromStatus: "NO_DATA", toStatus: "UP", instanceId: "run-1" },
      { at: started, subject: componentSubject("database"), fromStatus: "NO_DATA", toStatus: "UP", instanceId: "run-1" },
      { at: now - 5 * MINUTE, subject: componentSubject("trading-engine"), fromStatus: "UP", toStatus: "DOWN", reason: "none of 2 serving", instanceId: "run-1" },
      { at: now - 5 * MINUTE + 12 * SECOND, subject: componentSubject("trading-engine"), fromStatus: "DOWN", toStatus: "UP", instanceId: "run-1" },
    ]);
    const viewer = caller("viewer").sla;
    const from = new Date(started - MINUTE).toISOString().replace(/\.\d{3}Z$/, "Z");
    const to = new Date(now + MINUTE).toISOString().replace(/\.\d{3}Z$/, "Z");
    const r = await viewer.report({ period: "custom", from, to });
    const te = r.rows.find((x) => x.id === "trading-engine")!;
    expect(te.counted.downMs).toBe(12 * SECOND);
    expect(r.incidents).toHaveLength(1);
    expect(r.incidents[0]).toMatchObject({ componentId: "trading-engine", durationMs: 12 * SECOND, cause: "none of 2 serving", open: false });

    const b = await viewer.budgets();
    const month = b.components.find((c) => c.id === "trading-engine")!.windows.find((w) => w.id === "month")!;
    expect(month.counted.usedMs).toBe(12 * SECOND);
    expect(b.system.windows.find((w) => w.id === "rolling30")!.counted.usedMs).toBe(12 * SECOND);
    expect(b.feasibility.met).toBe(false);

    const incidents = await viewer.incidents({ from: started - HOUR });
    expect(incidents.map((i) => i.durationMs)).toEqual([12 * SECOND]);
    const wall = await viewer.wall();
    expect(wall.budgets.find((x) => x.id === "trading-engine")).toMatchObject({ usedMs: 12 * SECOND });
  });

  it("a bad query is BAD_REQUEST naming the field", async () => {
    const viewer = caller("viewer").sla;
    await rejectsWith(viewer.report({ period: "custom", from: "2026-11-01" }), "BAD_REQUEST", /to/);
    await rejectsWith(viewer.report({ period: "month", components: ["nope"] }), "BAD_REQUEST", /^components: unknown component "nope"/);
    await rejectsWith(viewer.report({ period: "custom", from: "2026-11-09", to: "2026-11-01" }), "BAD_REQUEST", /^to: /);
  });
});

describe("sla: incidents linked to the guarded actions recorded by the failover workflow", () => {
  const requester: AuditActor = { id: "u-op", name: "Op", role: "operator", ip: null };
  const approver: AuditActor = { id: "u-ap", name: "Ap", role: "approver", ip: null };

  /** A Patroni switchover through the store's own state machine: requested → approved → executing → verifying → succeeded. */
  async function recordSwitchover(executingAt: number, finishedAt: number): Promise<number> {
    const requestedAt = executingAt - 30 * SECOND;
    const created = await insertRequest(
      store,
      {
        kind: "patroni_switchover", targetId: "pg-main", lockKey: "patroni:pg-main", node: "pg2", expectedLeader: "pg1", scheduledAt: null,
        reason: "move the leader off pg1", clientRequestId: `sla-link-${executingAt}`, requester,
        preflight: { ok: true, at: requestedAt, checks: [], facts: {} }, now: requestedAt, expiresAt: requestedAt + HOUR, ownerInstance: "test",
      },
      null,
    );
    expect(created.status).toBe("created");
    const id = created.action.id;
    const step = async (from: Parameters<typeof transition>[2], to: Parameters<typeof transition>[3], patch: Parameters<typeof transition>[4], at: number, actor = approver) =>
      expect(await transition(store, id, from, to, patch, { actor, event: to === "approved" ? "approve" : to === "executing" ? "execute" : to === "verifying" ? "verify" : "outcome", at })).not.toBeNull();
    await step(["requested"], "approved", { approverId: approver.id, approverName: approver.name, approvedAt: executingAt - SECOND }, executingAt - SECOND);
    await step(["approved"], "executing", { executingAt }, executingAt);
    await step(["executing"], "verifying", { verifyingAt: executingAt + 3 * SECOND }, executingAt + 3 * SECOND);
    await step(["verifying"], "succeeded", { finishedAt, outcome: "pg2 leads on timeline 4", newTimeline: 4 }, finishedAt);
    return id;
  }

  it("a recorded switchover and the database incident during it come out linked; the cost preview uses the switchover", async () => {
    const now = Date.now();
    const started = now - 10 * MINUTE;
    const down = now - 4 * MINUTE;
    await store.heartbeat("run-2", started, now);
    await store.recordTransitions([
      { at: started, subject: componentSubject("trading-engine"), fromStatus: "NO_DATA", toStatus: "UP", instanceId: "run-2" },
      { at: started, subject: componentSubject("database"), fromStatus: "NO_DATA", toStatus: "UP", instanceId: "run-2" },
      { at: down, subject: componentSubject("database"), fromStatus: "UP", toStatus: "DOWN", reason: "no leader", instanceId: "run-2" },
      { at: down + 9 * SECOND, subject: componentSubject("database"), fromStatus: "DOWN", toStatus: "UP", reason: "leader pg2", instanceId: "run-2" },
      // An engine outage at the same time: not on a target of the database, so not linked.
      { at: down + SECOND, subject: componentSubject("trading-engine"), fromStatus: "UP", toStatus: "DOWN", instanceId: "run-2" },
      { at: down + 5 * SECOND, subject: componentSubject("trading-engine"), fromStatus: "DOWN", toStatus: "UP", instanceId: "run-2" },
    ]);
    const id = await recordSwitchover(down - 2 * SECOND, down + 14 * SECOND);

    const viewer = caller("viewer").sla;
    const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
    const r = await viewer.report({ period: "custom", from: iso(started - MINUTE), to: iso(now + MINUTE) });
    const db = r.incidents.find((i) => i.componentId === "database")!;
    expect(db).toMatchObject({ durationMs: 9 * SECOND, failoverId: id, failover: { id, kind: "patroni_switchover", targetId: "pg-main", state: "succeeded", executingAt: down - 2 * SECOND, finishedAt: down + 14 * SECOND } });
    expect(r.incidents.find((i) => i.componentId === "trading-engine")).toMatchObject({ failoverId: null, failover: null });

    const listed = await viewer.incidents({ from: started - HOUR, components: ["database"] });
    expect(listed.map((i) => i.failoverId)).toEqual([id]);

    const b = await viewer.budgets();
    const cost = b.components.find((c) => c.id === "database")!.failoverCost;
    expect(cost).toMatchObject({ basis: "actions", count: 1, medianMs: 16 * SECOND });
    // The engine had no failover recorded: its preview falls back to its measured outage.
    expect(b.components.find((c) => c.id === "trading-engine")!.failoverCost).toMatchObject({ basis: "outages", count: 1, medianMs: 4 * SECOND });
  });
});

describe("subjectTransitions", () => {
  it("pages through more rows than one query returns, in order", async () => {
    const rows = Array.from({ length: 12_345 }, (_, i) => ({
      at: 1_000_000 + Math.floor(i / 2),
      subject: componentSubject(i % 3 === 0 ? "database" : "trading-engine"),
      fromStatus: "UP" as const,
      toStatus: (i % 2 ? "UP" : "DOWN") as "UP" | "DOWN",
      instanceId: "r",
    }));
    await store.recordTransitions(rows);
    await store.recordTransitions([{ at: 1_000_000, subject: "overall", fromStatus: "HEALTHY", toStatus: "CRITICAL", instanceId: "r" }]);
    const got = await subjectTransitions(store, { subjects: [componentSubject("database"), componentSubject("trading-engine")], since: 0, until: 2_000_000 });
    expect(got).toHaveLength(12_345);
    expect(got.map((t) => t.id)).toEqual(rows.map((_, i) => i + 1));
    const window = await subjectTransitions(store, { subjects: [componentSubject("database")], since: 1_000_010, until: 1_000_020 });
    expect(window.every((t) => t.at >= 1_000_010 && t.at < 1_000_020 && t.subject === componentSubject("database"))).toBe(true);
    expect(window).toHaveLength(7);
  });
});

describe("sla.correctClass and the report's RTO section", () => {
  async function incident() {
    const now = Date.now();
    const suspectedAt = now - 5 * MINUTE;
    await store.heartbeat("run-rto", now - HOUR, now);
    await store.recordTransitions([
      { at: now - HOUR, subject: componentSubject("database"), fromStatus: "NO_DATA", toStatus: "UP", instanceId: "run-rto" },
      { at: suspectedAt - 5, subject: "postgres:pg-main/pg1", fromStatus: "UP", toStatus: "DOWN", reason: "connection refused", instanceId: "run-rto", confirmedAt: suspectedAt + 2 * SECOND },
      { at: suspectedAt, subject: componentSubject("database"), fromStatus: "UP", toStatus: "DOWN", reason: "leader pg1: connection refused", instanceId: "run-rto", confirmedAt: suspectedAt + 2 * SECOND },
      { at: suspectedAt + 70 * SECOND, subject: componentSubject("database"), fromStatus: "DOWN", toStatus: "UP", reason: "leader pg2", instanceId: "run-rto", confirmedAt: suspectedAt + 71 * SECOND },
    ]);
    return { suspectedAt, since: now - MINUTE };
  }

  it("the report carries the incident with its times, its class and the scoreboard", async () => {
    const { suspectedAt } = await incident();
    const r = await caller("viewer").sla.report({ period: "month" });
    expect(r.rto.incidents).toHaveLength(1);
    expect(r.rto.incidents[0]).toMatchObject({ componentId: "database", suspectedAt, confirmedAt: suspectedAt + 2 * SECOND, recoveryMs: 70 * SECOND, detectionMs: 2 * SECOND, mode: "database" });
    expect(r.rto.rows.find((x) => x.mode === "database")).toMatchObject({ incidents: 1, recovery: { p50Ms: 70 * SECOND }, verdict: "met" });
  });

  it("an operator corrects the class with a note: the report shows it and the audit log has the row", async () => {
    const { suspectedAt, since } = await incident();
    const fixed = await caller("operator").sla.correctClass({ componentId: "database", suspectedAt, mode: "server-hardware", note: "pg1's host lost power" });
    expect(fixed).toMatchObject({ mode: "server-hardware", automatic: { mode: "database" }, correction: { note: "pg1's host lost power", by: testUser("operator").name } });
    const r = await caller("viewer").sla.report({ period: "month" });
    expect(r.rto.rows.find((x) => x.mode === "server-hardware")).toMatchObject({ incidents: 1 });
    const audit = (await listAudit(store, { since, limit: 100, order: "asc" })).filter((a) => a.event === "incident_class" && a.targetId === `incident:database@${new Date(suspectedAt).toISOString()}`);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ reason: "pg1's host lost power", actorRole: "operator" });
    expect(audit[0]!.detail).toContain("database → server-hardware");
  });

  it("a viewer may not; bad input names the field; an unknown incident is NOT_FOUND", async () => {
    const { suspectedAt } = await incident();
    await rejectsWith(caller("viewer").sla.correctClass({ componentId: "database", suspectedAt, mode: "database", note: "not mine to say" }), "FORBIDDEN");
    await rejectsWith(caller("operator").sla.correctClass({ componentId: "database", suspectedAt, mode: "gremlins" as never, note: "a real note" }), "BAD_REQUEST", /mode/);
    await rejectsWith(caller("operator").sla.correctClass({ componentId: "database", suspectedAt, mode: "database", note: "no" }), "BAD_REQUEST", /note/);
    await rejectsWith(caller("operator").sla.correctClass({ componentId: "nope", suspectedAt, mode: "database", note: "a real note" }), "BAD_REQUEST", /componentId/);
    await rejectsWith(caller("operator").sla.correctClass({ componentId: "database", suspectedAt: suspectedAt + 1, mode: "database", note: "a real note" }), "NOT_FOUND", /suspectedAt/);
  });
});

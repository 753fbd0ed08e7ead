import { randomBytes } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { alertFingerprint, type AlertEvent } from "@/lib/alerts";
import type { Role } from "@/lib/roles";
import { parseConfig, type Config } from "@/server/config/load";
import { enqueueAlertEvents } from "@/server/store/alerts";
import { listAudit } from "@/server/store/audit";
import { notifications, receiverCursors } from "@/server/store/schema-alerts";
import { openStore, storeDb, type Store } from "@/server/store/store";
import { createInnerTRPCContext } from "@/server/trpc/init";
import { resetRefusalLimiter } from "@/server/trpc/refusals";
import { createCaller } from "@/server/trpc/root";
import { testUser } from "@/server/testing/actors";

/** The alerts router through createCaller, on a real (in-memory) control store. */

const WEBHOOK_SECRET = `whsec_${randomBytes(32).toString("base64")}`;
const AM_PASSWORD = `am-pw-${randomBytes(12).toString("hex")}`;
const SLACK_TOKEN = `T0AAA/B0BBB/${randomBytes(12).toString("hex")}`;
const env = { NODE_ENV: "test", WH_SECRET: WEBHOOK_SECRET, AM_PASSWORD } as unknown as NodeJS.ProcessEnv;

const base = {
  version: 1,
  components: [
    { id: "trading-engine", name: "Trading Engine", layer: "application", sla: 99.995 },
    { id: "database", name: "Database", layer: "data", sla: 99.99 },
  ],
  clusters: [{ id: "pg-main", component: "database", nodes: [{ name: "pg1", rest: "http://127.0.0.1:8008", dsn: "postgres://monitor@127.0.0.1:5432/postgres" }] }],
};
const withAlerting: Config = parseConfig(
  stringify({
    ...base,
    alerting: {
      receivers: [
        { name: "am", type: "alertmanager", url: "http://127.0.0.1:9093", basicAuth: { username: "dash", password: { env: "AM_PASSWORD" } } },
        { name: "oncall", type: "webhook", url: "https://hooks.example.test/alert?token=abc", secrets: [{ env: "WH_SECRET" }] },
        { name: "chat", type: "webhook", format: "slack", url: `https://hooks.slack.test/services/${SLACK_TOKEN}` },
      ],
      route: {
        receiver: "am",
        routes: [
          { receiver: "oncall", match: { severity: "critical" }, continue: true },
          { receiver: "chat", match: { component: ["database", "redis"] } },
        ],
      },
    },
  }),
  "/tmp/alerts-router-test.yaml",
  env,
);
const without: Config = parseConfig(stringify(base), "/tmp/alerts-router-test.yaml", env);

let store: Store;
const caller = (role: Role | null, config = withAlerting) =>
  createCaller(createInnerTRPCContext({ actor: role ? testUser(role) : null, ip: "10.1.2.3", getConfig: () => config, getStore: async () => store }));

async function rejectsWith(p: Promise<unknown>, code: TRPCError["code"], message?: RegExp) {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e, "expected a TRPCError").toBeInstanceOf(TRPCError);
  expect((e as TRPCError).code).toBe(code);
  if (message) expect((e as TRPCError).message).toMatch(message);
}

function alert(labels: Record<string, string> & { alertname: string; severity: "critical" | "warning" | "info" }, startsAt: number): AlertEvent {
  return {
    fingerprint: alertFingerprint(labels),
    status: "firing",
    at: startsAt,
    labels,
    annotations: { summary: `${labels.alertname} ${labels.component ?? ""}`.trim(), description: "db-primary is DOWN: connection refused" },
    path: "/clusters/pg-main",
    source: "status",
    startsAt,
    endsAt: null,
  };
}

const rows = async <T>(q: ReturnType<typeof sql>) => ((await storeDb(store).execute(q)) as unknown as { rows: T[] }).rows;
const alertTests = async () => (await listAudit(store, { limit: 500, order: "asc" })).filter((e) => e.event === "alert_test");

beforeAll(async () => {
  store = await openStore({ memory: true });
}, 60_000);
afterAll(async () => {
  await store?.close();
});
beforeEach(async () => {
  resetRefusalLimiter();
  await storeDb(store).execute(sql`truncate alert_events, alerts, notifications, receiver_cursors, alert_groups restart identity`);
});

describe("alerts.active", () => {
  it("a viewer reads the active alerts, most severe first, with age and the receivers their route picks", async () => {
    const now = Date.now();
    await enqueueAlertEvents(store, [
      alert({ alertname: "ComponentDegraded", severity: "warning", component: "trading-engine" }, now - 60_000),
      alert({ alertname: "ComponentDown", severity: "critical", component: "database", cluster: "pg-main" }, now - 5_000),
      alert({ alertname: "ComponentStale", severity: "warning", component: "database" }, now - 1_000),
    ]);
    const resolved = alert({ alertname: "ComponentDown", severity: "critical", component: "trading-engine" }, now - 9_000);
    await enqueueAlertEvents(store, [resolved]);
    await enqueueAlertEvents(store, [{ ...resolved, status: "resolved", at: now - 2_000, endsAt: now - 2_000 }]);

    const r = await createCaller(createInnerTRPCContext({ actor: testUser("viewer"), getConfig: () => withAlerting, getStore: async () => store, now: () => now })).alerts.active();
    expect(r.configured).toBe(true);
    expect(r.alerts.map((a) => [a.labels.alertname, a.labels.component, a.ageMs, a.receivers])).toEqual([
      // critical → oncall (continue) → chat (database); the top route only when no child matched.
      ["ComponentDown", "database", 5_000, ["oncall", "chat"]],
      ["ComponentDegraded", "trading-engine", 60_000, ["am"]],
      ["ComponentStale", "database", 1_000, ["chat"]],
    ]);
    expect(r.alerts[0]).toMatchObject({ path: "/clusters/pg-main", resolvedAt: null, annotations: { description: "db-primary is DOWN: connection refused" } });
  });

  it("without an alerting: section the alerts still list, with no receivers, and the page is told", async () => {
    await enqueueAlertEvents(store, [alert({ alertname: "ComponentDown", severity: "critical", component: "database" }, Date.now())]);
    const r = await caller("viewer", without).alerts.active();
    expect(r.configured).toBe(false);
    expect(r.alerts[0]!.receivers).toEqual([]);
    expect((await caller("viewer", without).alerts.receivers()).receivers).toEqual([]);
  });

  it("signed out: refused", async () => {
    await rejectsWith(caller(null).alerts.active(), "UNAUTHORIZED");
    await rejectsWith(caller(null).alerts.receivers(), "UNAUTHORIZED");
  });
});

describe("alerts.receivers", () => {
  it("lists each receiver with a URL free of credentials, query and Slack token, and never a secret", async () => {
    const r = await caller("viewer").alerts.receivers();
    expect(r.receivers.map((x) => [x.name, x.type, x.url, x.format, x.signingSecrets, x.basicAuth])).toEqual([
      ["am", "alertmanager", "http://127.0.0.1:9093", null, 0, true],
      ["oncall", "webhook", "https://hooks.example.test/alert?…", "alertmanager", 1, false],
      ["chat", "webhook", "https://hooks.slack.test/…", "slack", 0, false],
    ]);
    const text = JSON.stringify(r);
    for (const secret of [WEBHOOK_SECRET, WEBHOOK_SECRET.slice(6), AM_PASSWORD, SLACK_TOKEN, "token=abc"]) expect(text).not.toContain(secret);
  });

  it("shows the delivery log newest first, with attempts, codes, next retry, notes and dead letters; a receiver's echoed secret is redacted", async () => {
    const t = Date.parse("2026-12-07T10:00:00Z");
    const n = (id: number, state: string, extra: Partial<typeof notifications.$inferInsert> = {}) => ({
      webhookId: `msg_${id}`,
      receiver: "oncall",
      groupKey: "{}:{alertname=\"ComponentDown\"}",
      state,
      body: `{"secret":"${WEBHOOK_SECRET}"}`,
      title: `notification ${id}`,
      alertCount: 1,
      fingerprints: ["0123456789abcdef"],
      createdAt: new Date(t + id * 1000),
      ...extra,
    });
    await storeDb(store)
      .insert(notifications)
      .values([
        n(1, "delivered", { attempts: 3, lastCode: 200, lastLatencyMs: 42, deliveredAt: new Date(t + 5000), log: [{ at: t + 1000, code: 500, latencyMs: 10, error: null, retryAt: t + 2000 }, { at: t + 2000, code: 500, latencyMs: 11, error: null, retryAt: t + 4000 }, { at: t + 4000, code: 200, latencyMs: 42, error: null, retryAt: null }] }),
        n(2, "dead", { attempts: 1, lastCode: 400, note: "dead: 400 Bad Request", lastError: `bad request: unknown key ${AM_PASSWORD}` }),
        n(3, "silenced", { note: "silenced by maintenance #7" }),
        n(4, "pending", { attempts: 1, lastCode: 503, nextAttemptAt: new Date(t + 9000) }),
        { ...n(5, "delivered"), receiver: "am" },
      ]);
    const r = await caller("viewer").alerts.receivers();
    const oncall = r.receivers.find((x) => x.name === "oncall")!;
    expect(oncall.notifications.map((x) => [x.id, x.state, x.attempts, x.lastCode, x.nextAttemptAt, x.note])).toEqual([
      [4, "pending", 1, 503, t + 9000, null],
      [3, "silenced", 0, null, null, "silenced by maintenance #7"],
      [2, "dead", 1, 400, null, "dead: 400 Bad Request"],
      [1, "delivered", 3, 200, null, null],
    ]);
    expect(oncall.notifications[3]!.log.map((a) => a.code)).toEqual([500, 500, 200]);
    expect(oncall.counts).toEqual({ pending: 1, delivered: 1, dead: 1, silenced: 1 });
    expect(oncall.notifications[2]!.lastError).toBe("bad request: unknown key [redacted]");
    expect(r.receivers.find((x) => x.name === "am")!.notifications.map((x) => x.id)).toEqual([5]);
    const text = JSON.stringify(r);
    expect(text).not.toContain(WEBHOOK_SECRET.slice(6));
    expect(text).not.toContain(AM_PASSWORD);
    // The frozen body stays in the store.
    expect(text).not.toContain('"body"');
  });

  it("outbox events a receiver has not routed yet are listed as queued for the receivers they route to", async () => {
    const now = Date.now();
    await enqueueAlertEvents(store, [alert({ alertname: "ComponentDown", severity: "critical", component: "trading-engine" }, now)]);
    await storeDb(store).insert(receiverCursors).values({ receiver: "am", lastEventId: 1, updatedAt: new Date(now) });
    await enqueueAlertEvents(store, [alert({ alertname: "ComponentDegraded", severity: "warning", component: "trading-engine" }, now)]);
    const r = await caller("viewer").alerts.receivers();
    const queued = Object.fromEntries(r.receivers.map((x) => [x.name, x.queued.map((q) => q.alertname)]));
    expect(queued).toEqual({ am: ["ComponentDegraded"], oncall: ["ComponentDown"], chat: [] });
  });
});

describe("alerts.sendTest", () => {
  it("a viewer (or operator, or approver) cannot send a test: refused, audited, nothing queued", async () => {
    for (const role of ["viewer", "operator", "approver"] as const) await rejectsWith(caller(role).alerts.sendTest({ receiver: "oncall" }), "FORBIDDEN", /admin role/);
    const refused = (await listAudit(store, { limit: 500, order: "desc" })).filter((e) => e.event === "refuse" && e.targetId === "alerts.sendTest").slice(0, 3);
    expect(refused.map((e) => [e.actorRole, e.actorIp]).sort()).toEqual([
      ["approver", "10.1.2.3"],
      ["operator", "10.1.2.3"],
      ["viewer", "10.1.2.3"],
    ]);
    expect(await rows(sql`select id from alert_events`)).toEqual([]);
  });

  it("an admin's test is one outbox event for that receiver only, and its audit row, together", async () => {
    const before = (await alertTests()).length;
    const r = await caller("admin").alerts.sendTest({ receiver: "chat", reason: "new Slack channel" });
    const events = await rows<{ id: number; source: string; labels: Record<string, string>; annotations: Record<string, string>; path: string; status: string }>(sql`select * from alert_events`);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ id: r.eventId, source: "test", status: "firing", path: "/alerts", labels: { alertname: "TestNotification", severity: "info", receiver: "chat" } });
    expect(events[0]!.annotations.test_id).toBe(r.testId);
    const audit = (await alertTests()).slice(before);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorRole: "admin", actorName: "Test admin", actorIp: "10.1.2.3", targetId: "chat", reason: "new Slack channel" });
    expect(audit[0]!.detail).toContain(`alert event #${r.eventId}`);
    // Shown as active, going to the receiver it names only, and queued there.
    const active = await caller("viewer").alerts.active();
    expect(active.alerts.map((a) => [a.labels.alertname, a.receivers])).toEqual([["TestNotification", ["chat"]]]);
    const recv = await caller("viewer").alerts.receivers();
    expect(recv.receivers.map((x) => [x.name, x.queued.map((q) => q.eventId)])).toEqual([
      ["am", []],
      ["oncall", []],
      ["chat", [r.eventId]],
    ]);
  });

  it("an unknown receiver, or no alerting: section, is refused with what to fix, and nothing is written", async () => {
    const before = (await alertTests()).length;
    await rejectsWith(caller("admin").alerts.sendTest({ receiver: "pager" }), "NOT_FOUND", /no receiver named "pager"; expected one of am, oncall, chat/);
    await rejectsWith(caller("admin", without).alerts.sendTest({ receiver: "oncall" }), "PRECONDITION_FAILED", /No alerting: section/);
    await rejectsWith(caller("admin").alerts.sendTest({ receiver: "bad name!" }), "BAD_REQUEST", /^receiver: /);
    expect(await rows(sql`select id from alert_events`)).toEqual([]);
    expect((await alertTests()).length).toBe(before);
  });

  it("when the audit row cannot be written the event is not queued, and when the event cannot be, no audit row", async () => {
    const db = storeDb(store);
    const before = (await alertTests()).length;
    await db.execute(sql`create function pg_temp_fail() returns trigger language plpgsql as $$ begin raise exception 'refused by the test'; end $$`);
    try {
      await db.execute(sql`create trigger fail_alert_test before insert on audit_log for each row when (new.event = 'alert_test') execute function pg_temp_fail()`);
      await rejectsWith(caller("admin").alerts.sendTest({ receiver: "oncall" }), "INTERNAL_SERVER_ERROR", /^Internal server error$/);
      expect(await rows(sql`select id from alert_events`)).toEqual([]);
      expect(await rows(sql`select fingerprint from alerts`)).toEqual([]);
      await db.execute(sql`drop trigger fail_alert_test on audit_log`);

      await db.execute(sql`create trigger fail_alert_event before insert on alert_events for each row execute function pg_temp_fail()`);
      await rejectsWith(caller("admin").alerts.sendTest({ receiver: "oncall" }), "INTERNAL_SERVER_ERROR");
      expect((await alertTests()).length).toBe(before);
      await db.execute(sql`drop trigger fail_alert_event on alert_events`);

      // And with nothing in the way, both are written.
      await caller("admin").alerts.sendTest({ receiver: "oncall" });
      expect(await rows(sql`select id from alert_events`)).toHaveLength(1);
      expect((await alertTests()).length).toBe(before + 1);
    } finally {
      await db.execute(sql`drop trigger if exists fail_alert_test on audit_log`);
      await db.execute(sql`drop trigger if exists fail_alert_event on alert_events`);
      await db.execute(sql`drop function if exists pg_temp_fail()`);
    }
  });
});

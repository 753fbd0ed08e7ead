/**
 * Delivery end to end inside the test process: a real PGlite store, the real outbox, and real HTTP
 * receivers on 127.0.0.1. Only the clock is injected, so retries and grouping can be stepped through.
 */
import { Webhook } from "standardwebhooks";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { activeAlerts, enqueueAlertEvents } from "@/server/store/alerts";
import { getNotification, listNotifications } from "@/server/store/notifications";
import { insertMaintenanceWindow } from "@/server/store/sla";
import { openStore, type Store } from "@/server/store/store";
import { resendActive } from "./alertmanager";
import { notificationCounts } from "./counters";
import { dispatchReceiver, type DispatchContext } from "./dispatcher";
import { startAlerting } from "./index";
import type { WebhookV4 } from "./payload";
import type { ReceiverConfig } from "./settings";
import { alertEvent, alertingConfig, Receiver, SECRET_A, SECRET_B } from "./test-helpers";
import { DeliveryWorker } from "./worker";

let store: Store;
const receivers: Receiver[] = [];
let seq = 0;

beforeAll(async () => {
  store = await openStore({ memory: true });
}, 60_000);
afterAll(async () => {
  await store.close();
});
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
  // A receiver new to the store is first told what fires there: resolve this test's alerts so the next test starts clean.
  const active = await activeAlerts(store);
  await enqueueAlertEvents(store, active.map((a) => ({ ...a, status: "resolved" as const, at: Date.now(), endsAt: Date.now(), expiresAt: null })));
});

async function receiver(answers?: ConstructorParameters<typeof Receiver>[0]): Promise<Receiver> {
  const r = await new Receiver(answers).start();
  receivers.push(r);
  return r;
}

/** A clock the test moves. */
function clock(start = Date.now()) {
  let t = start;
  return { now: () => t, set: (v: number) => (t = v), add: (ms: number) => (t += ms) };
}

/** A webhook receiver config with a unique name, group_wait 0 and fast retries unless overridden. */
function setup(url: string, over: Record<string, unknown> = {}, route: Record<string, unknown> = {}) {
  const name = `hook${++seq}`;
  const cfg = alertingConfig(
    {
      receivers: [{ name, type: "webhook", url, secrets: [{ env: "WH_A" }, { env: "WH_B" }], initialBackoffMs: 1000, maxBackoffMs: 60_000, timeoutMs: 2000, maxAttempts: 5, ...over }],
      route: { receiver: name, groupWaitMs: 0, groupIntervalMs: 1000, groupBy: ["alertname", "component"], ...route },
    },
    { WH_A: SECRET_A, WH_B: SECRET_B },
  );
  return { name, cfg, receiver: cfg.alerting.receivers[0]! };
}

async function pass(ctx: DispatchContext, r: ReceiverConfig, worker: DeliveryWorker) {
  const d = await dispatchReceiver(store, ctx, r);
  await worker.tick();
  await worker.idle();
  return d;
}

/** A component label no other test uses, so each test's alerts are its own. */
const component = () => `c${++seq}`;

describe("direct webhook delivery", () => {
  it("signs every request as Standard Webhooks says; the receiver verifies with either rotation secret and rejects a tampered body", async () => {
    const hook = await receiver();
    const { cfg, receiver: r, name } = setup(hook.url);
    const c = clock();
    const ctx: DispatchContext = { settings: cfg.alerting, externalURL: "https://noc.example.com", now: c.now };
    const worker = new DeliveryWorker({ store, receivers: [r], now: c.now });
    // Events enqueued before the receiver's first pass are its history; it starts with what fires now.
    await dispatchReceiver(store, ctx, r);
    const comp = component();
    const [e] = await enqueueAlertEvents(store, [alertEvent({ alertname: "ComponentDown", component: comp }, { at: c.now() })]);
    await pass(ctx, r, worker);
    const [req] = await hook.waitFor(1);
    const headers = req!.headers as Record<string, string>;
    const body = new Webhook(SECRET_A).verify(req!.body, headers) as WebhookV4;
    expect(() => new Webhook(SECRET_B).verify(req!.body, headers)).not.toThrow();
    expect(() => new Webhook(SECRET_A).verify(req!.body.replace('"firing"', '"resolved"'), headers)).toThrow(/No matching signature/);
    expect(headers["webhook-id"]).toMatch(/^msg_[0-9a-f-]{36}$/);
    expect(body).toMatchObject({ version: "4", status: "firing", receiver: name, groupLabels: { alertname: "ComponentDown", component: comp }, externalURL: "https://noc.example.com" });
    expect(body.alerts).toEqual([expect.objectContaining({ fingerprint: e!.fingerprint, status: "firing", endsAt: "0001-01-01T00:00:00Z", generatorURL: "https://noc.example.com/clusters/main" })]);
    const [n] = await listNotifications(store, { receiver: name });
    expect(n).toMatchObject({ state: "delivered", attempts: 1, lastCode: 200, webhookId: headers["webhook-id"], alertCount: 1, title: `1 firing: ComponentDown ${comp}` });
  });

  it("a Slack-format receiver gets a Slack incoming-webhook message, signed the same way", async () => {
    const hook = await receiver();
    const { cfg, receiver: r } = setup(hook.url, { format: "slack" });
    const c = clock();
    const ctx: DispatchContext = { settings: cfg.alerting, externalURL: "https://noc.example.com", now: c.now };
    const worker = new DeliveryWorker({ store, receivers: [r], now: c.now });
    await dispatchReceiver(store, ctx, r);
    const comp = component();
    await enqueueAlertEvents(store, [alertEvent({ alertname: "ComponentDown", component: comp }, { at: c.now() })]);
    await pass(ctx, r, worker);
    const [req] = await hook.waitFor(1);
    const body = new Webhook(SECRET_B).verify(req!.body, req!.headers as Record<string, string>) as { text: string; attachments: { title_link: string }[] };
    expect(body.text).toBe(`[FIRING] 1 firing: ComponentDown ${comp}`);
    expect(body.attachments[0]!.title_link).toBe("https://noc.example.com/clusters/main");
  });

  it("a receiver answering 500, 500, 200 gets one notification, recorded delivered after 3 attempts with the same webhook-id", async () => {
    const hook = await receiver([{ status: 500 }, { status: 500, body: "still broken" }, { status: 200 }]);
    const { cfg, receiver: r, name } = setup(hook.url);
    const c = clock();
    const ctx: DispatchContext = { settings: cfg.alerting, externalURL: "", now: c.now };
    const worker = new DeliveryWorker({ store, receivers: [r], now: c.now, random: () => 0.5 });
    await dispatchReceiver(store, ctx, r);
    await enqueueAlertEvents(store, [alertEvent({ alertname: "ComponentDown", component: component() }, { at: c.now() })]);
    await pass(ctx, r, worker);
    for (let i = 0; i < 2; i++) {
      const [n] = await listNotifications(store, { receiver: name });
      expect(n!.state).toBe("pending");
      // Not before it is due.
      c.set(n!.nextAttemptAt! - 1);
      expect(await worker.tick()).toBe(0);
      c.set(n!.nextAttemptAt!);
      expect(await worker.tick()).toBe(1);
      await worker.idle();
    }
    expect(hook.requests).toHaveLength(3);
    expect(new Set(hook.requests.map((q) => q.headers["webhook-id"])).size).toBe(1);
    expect(new Set(hook.requests.map((q) => q.body)).size).toBe(1);
    const list = await listNotifications(store, { receiver: name });
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ state: "delivered", attempts: 3, lastCode: 200, note: null });
    expect(list[0]!.log.map((a) => [a.code, a.retryAt === null])).toEqual([
      [500, false],
      [500, false],
      [200, true],
    ]);
    expect(list[0]!.log[1]!.error).toBe("still broken");
    // Backoff doubles: half of 1 s, then half of 2 s (random 0.5).
    const [a1, a2] = list[0]!.log;
    expect(a1!.retryAt! - a1!.at - a1!.latencyMs).toBe(500);
    expect(a2!.retryAt! - a2!.at - a2!.latencyMs).toBe(1000);
    const counts = notificationCounts().filter((x) => x.receiver === name);
    expect(Object.fromEntries(counts.map((x) => [x.result, x.count]))).toEqual({ retried: 2, delivered: 1 });
  });

  it("a 400 is dead-lettered at once with the code and the receiver's reason shown", async () => {
    const hook = await receiver([{ status: 400, body: "unknown field alerts" }]);
    const { cfg, receiver: r, name } = setup(hook.url);
    const c = clock();
    const ctx: DispatchContext = { settings: cfg.alerting, externalURL: "", now: c.now };
    const worker = new DeliveryWorker({ store, receivers: [r], now: c.now });
    await dispatchReceiver(store, ctx, r);
    await enqueueAlertEvents(store, [alertEvent({ alertname: "ComponentDown", component: component() }, { at: c.now() })]);
    await pass(ctx, r, worker);
    c.add(3_600_000);
    expect(await worker.tick()).toBe(0);
    expect(hook.requests).toHaveLength(1);
    const [n] = await listNotifications(store, { receiver: name });
    expect(n).toMatchObject({ state: "dead", attempts: 1, lastCode: 400, nextAttemptAt: null, note: "dead: 400 Bad Request: unknown field alerts" });
  });

  it("gives up after maxAttempts and says so", async () => {
    const hook = await receiver([{ status: 503 }]);
    const { cfg, receiver: r, name } = setup(hook.url, { maxAttempts: 2 });
    const c = clock();
    const ctx: DispatchContext = { settings: cfg.alerting, externalURL: "", now: c.now };
    const worker = new DeliveryWorker({ store, receivers: [r], now: c.now });
    await dispatchReceiver(store, ctx, r);
    await enqueueAlertEvents(store, [alertEvent({ alertname: "ComponentDown", component: component() }, { at: c.now() })]);
    await pass(ctx, r, worker);
    c.add(60_000);
    await worker.tick();
    await worker.idle();
    const [n] = await listNotifications(store, { receiver: name });
    expect(n).toMatchObject({ state: "dead", attempts: 2, note: "dead: gave up after 2 attempts; last: 503 Service Unavailable" });
  });

  it("honours Retry-After", async () => {
    const hook = await receiver([{ status: 429, headers: { "retry-after": "30" } }, { status: 204 }]);
    const { cfg, receiver: r, name } = setup(hook.url);
    const c = clock();
    const ctx: DispatchContext = { settings: cfg.alerting, externalURL: "", now: c.now };
    const worker = new DeliveryWorker({ store, receivers: [r], now: c.now, random: () => 0 });
    await dispatchReceiver(store, ctx, r);
    await enqueueAlertEvents(store, [alertEvent({ alertname: "ComponentDown", component: component() }, { at: c.now() })]);
    await pass(ctx, r, worker);
    const [n] = await listNotifications(store, { receiver: name });
    const a = n!.log[0]!;
    expect(a.code).toBe(429);
    expect(a.retryAt! - (a.at + a.latencyMs)).toBe(30_000);
    c.add(29_000);
    expect(await worker.tick()).toBe(0);
    c.set(a.retryAt!);
    expect(await worker.tick()).toBe(1);
    await worker.idle();
    expect((await getNotification(store, n!.id))!.state).toBe("delivered");
  });

  it("a receiver that does not answer in time is retried", async () => {
    const hook = await receiver(["hang", { status: 200 }]);
    const { cfg, receiver: r, name } = setup(hook.url, { timeoutMs: 300 });
    const c = clock();
    const ctx: DispatchContext = { settings: cfg.alerting, externalURL: "", now: c.now };
    const worker = new DeliveryWorker({ store, receivers: [r], now: c.now });
    await dispatchReceiver(store, ctx, r);
    await enqueueAlertEvents(store, [alertEvent({ alertname: "ComponentDown", component: component() }, { at: c.now() })]);
    await pass(ctx, r, worker);
    const [n] = await listNotifications(store, { receiver: name });
    expect(n).toMatchObject({ state: "pending", lastCode: null, lastError: expect.stringMatching(/no answer within the deadline/) });
    c.set(n!.nextAttemptAt!);
    await worker.tick();
    await worker.idle();
    expect((await getNotification(store, n!.id))).toMatchObject({ state: "delivered", attempts: 2 });
    expect(hook.requests.map((q) => q.headers["webhook-id"])).toEqual([n!.webhookId, n!.webhookId]);
  });

  it("a connection refused is retried, not dead", async () => {
    const hook = await receiver();
    const { cfg, receiver: r, name } = setup(hook.url);
    await hook.stop();
    const c = clock();
    const ctx: DispatchContext = { settings: cfg.alerting, externalURL: "", now: c.now };
    const worker = new DeliveryWorker({ store, receivers: [r], now: c.now });
    await dispatchReceiver(store, ctx, r);
    await enqueueAlertEvents(store, [alertEvent({ alertname: "ComponentDown", component: component() }, { at: c.now() })]);
    await pass(ctx, r, worker);
    const [n] = await listNotifications(store, { receiver: name });
    expect(n).toMatchObject({ state: "pending", lastCode: null, lastError: "connection refused" });
    receivers.splice(receivers.indexOf(hook), 1);
  });

  it("groups by the route's grouping: what arrives within group_wait goes out as one notification", async () => {
    const hook = await receiver();
    const { cfg, receiver: r, name } = setup(hook.url, {}, { groupWaitMs: 30_000, groupBy: ["alertname"] });
    const c = clock();
    const ctx: DispatchContext = { settings: cfg.alerting, externalURL: "", now: c.now };
    const worker = new DeliveryWorker({ store, receivers: [r], now: c.now });
    await dispatchReceiver(store, ctx, r);
    await enqueueAlertEvents(store, [alertEvent({ alertname: "ComponentDown", component: component() }, { at: c.now() })]);
    expect((await pass(ctx, r, worker)).nextDueAt).toBe(c.now() + 30_000);
    c.add(10_000);
    await enqueueAlertEvents(store, [alertEvent({ alertname: "ComponentDown", component: component() }, { at: c.now() })]);
    await pass(ctx, r, worker);
    c.add(19_999);
    await pass(ctx, r, worker);
    expect(hook.requests).toHaveLength(0);
    c.add(1);
    await pass(ctx, r, worker);
    const [req] = await hook.waitFor(1);
    expect((JSON.parse(req!.body) as WebhookV4).alerts).toHaveLength(2);
    expect(await listNotifications(store, { receiver: name })).toHaveLength(1);
  });

  it("a maintenance window silences its component: a silenced row with the window's number, nothing sent", async () => {
    const hook = await receiver();
    const { cfg, receiver: r, name } = setup(hook.url);
    const c = clock();
    const ctx: DispatchContext = { settings: cfg.alerting, externalURL: "", now: c.now };
    const worker = new DeliveryWorker({ store, receivers: [r], now: c.now });
    await dispatchReceiver(store, ctx, r);
    const comp = component();
    const w = await insertMaintenanceWindow(store, { components: [comp], start: c.now() - 60_000, end: c.now() + 3_600_000, reason: "patching", createdAt: c.now() - 60_000 }, { id: "u1", name: "Ann", role: "admin", ip: null });
    await enqueueAlertEvents(store, [alertEvent({ alertname: "ComponentDown", component: comp }, { at: c.now() }), alertEvent({ alertname: "Watchdog", severity: "info" }, { at: c.now(), source: "watchdog" })]);
    await pass(ctx, r, worker);
    const list = await listNotifications(store, { receiver: name });
    const silenced = list.filter((n) => n.state === "silenced");
    expect(silenced).toHaveLength(1);
    expect(silenced[0]).toMatchObject({ note: `silenced by maintenance #${w.id}`, title: `1 firing: ComponentDown ${comp}`, attempts: 0, nextAttemptAt: null });
    // Only the Watchdog (never silenced by a component's maintenance) was sent.
    await hook.waitFor(1);
    expect((JSON.parse(hook.requests[0]!.body) as WebhookV4).alerts.map((x) => x.labels.alertname)).toEqual(["Watchdog"]);
    expect(notificationCounts().find((x) => x.receiver === name && x.result === "silenced")?.count).toBe(1);
  });

  it("a test notification reaches only the receiver it names", async () => {
    const one = await receiver();
    const two = await receiver();
    const a = `hookA${++seq}`;
    const b = `hookB${seq}`;
    const cfg = alertingConfig({
      receivers: [
        { name: a, type: "webhook", url: one.url },
        { name: b, type: "webhook", url: two.url },
      ],
      route: { receiver: a, groupWaitMs: 0, routes: [{ receiver: b, match: { severity: "info" }, continue: true }] },
    });
    const c = clock();
    const ctx: DispatchContext = { settings: cfg.alerting, externalURL: "", now: c.now };
    const [ra, rb] = cfg.alerting.receivers;
    const worker = new DeliveryWorker({ store, receivers: cfg.alerting.receivers, now: c.now });
    await dispatchReceiver(store, ctx, ra!);
    await dispatchReceiver(store, ctx, rb!);
    await enqueueAlertEvents(store, [alertEvent({ alertname: "TestNotification", severity: "info", receiver: a }, { at: c.now(), source: "test" })]);
    await dispatchReceiver(store, ctx, ra!);
    await dispatchReceiver(store, ctx, rb!);
    await worker.tick();
    await worker.idle();
    expect(one.requests).toHaveLength(1);
    expect(two.requests).toHaveLength(0);
    expect(await listNotifications(store, { receiver: b })).toEqual([]);
  });

  it("a worker that dies mid-send: the next one sends the same notification again under the same webhook-id; recorded delivered once", async () => {
    const hook = await receiver(["hang", { status: 200 }]);
    const { cfg, receiver: r, name } = setup(hook.url, { timeoutMs: 5000 });
    const c = clock();
    const ctx: DispatchContext = { settings: cfg.alerting, externalURL: "", now: c.now };
    const first = new DeliveryWorker({ store, receivers: [r], now: c.now });
    await dispatchReceiver(store, ctx, r);
    await enqueueAlertEvents(store, [alertEvent({ alertname: "ComponentDown", component: component() }, { at: c.now() })]);
    await dispatchReceiver(store, ctx, r);
    expect(await first.tick()).toBe(1);
    await hook.waitFor(1);
    first.abandon();
    // The claim holds until it runs out: a second worker meanwhile takes nothing.
    const second = new DeliveryWorker({ store, receivers: [r], now: c.now });
    expect(await second.tick()).toBe(0);
    c.add(5000 + 5000);
    expect(await second.tick()).toBe(1);
    await second.idle();
    await first.idle();
    const ids = hook.requests.map((q) => q.headers["webhook-id"]);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(ids[1]);
    // What a receiver that keeps the ids it has seen acts on: one notification.
    expect(new Set(ids).size).toBe(1);
    const list = await listNotifications(store, { receiver: name });
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ state: "delivered", attempts: 1, webhookId: ids[0] });
  });

  it("two passes at once (two dashboards) route an outbox row once", async () => {
    const hook = await receiver();
    const { cfg, receiver: r, name } = setup(hook.url);
    const c = clock();
    const ctx: DispatchContext = { settings: cfg.alerting, externalURL: "", now: c.now };
    await dispatchReceiver(store, ctx, r);
    await enqueueAlertEvents(store, [alertEvent({ alertname: "ComponentDown", component: component() }, { at: c.now() })]);
    const results = await Promise.all([dispatchReceiver(store, ctx, r), dispatchReceiver(store, ctx, r), dispatchReceiver(store, ctx, r)]);
    expect(results.map((x) => x.events).sort()).toEqual([0, 0, 1]);
    expect(await listNotifications(store, { receiver: name })).toHaveLength(1);
  });

  it("routing progress, groups and notifications commit together: a failed pass leaves everything as it was", async () => {
    const hook = await receiver();
    const { cfg, receiver: r, name } = setup(hook.url);
    const c = clock();
    const fixed = "00000000-0000-4000-8000-0000000000ff";
    const ctx: DispatchContext = { settings: cfg.alerting, externalURL: "", now: c.now, uuid: () => fixed };
    await dispatchReceiver(store, ctx, r);
    await enqueueAlertEvents(store, [alertEvent({ alertname: "ComponentDown", component: component() }, { at: c.now() })]);
    await dispatchReceiver(store, ctx, r);
    expect(await listNotifications(store, { receiver: name })).toHaveLength(1);
    // The next notification gets the same webhook id: the unique index refuses it, the pass rolls back.
    await enqueueAlertEvents(store, [alertEvent({ alertname: "ComponentDegraded", component: component() }, { at: c.now() })]);
    await expect(dispatchReceiver(store, ctx, r)).rejects.toThrow();
    expect(await listNotifications(store, { receiver: name })).toHaveLength(1);
    // With ids that are unique again, the same events are routed: nothing was lost.
    const again = await dispatchReceiver(store, { ...ctx, uuid: undefined }, r);
    expect(again).toMatchObject({ events: 1, created: 1 });
    expect((await listNotifications(store, { receiver: name })).map((n) => n.title)).toEqual([expect.stringMatching(/ComponentDegraded/), expect.stringMatching(/ComponentDown/)]);
  });
});

describe("Alertmanager receivers", () => {
  it("get each change as postable alerts, and every active alert again on the re-send loop", async () => {
    const am = await receiver();
    const name = `am${++seq}`;
    const comp = component();
    const cfg = alertingConfig({
      receivers: [{ name, type: "alertmanager", url: `http://127.0.0.1:${am.port}/`, resendIntervalMs: 60_000, basicAuth: { username: "hacr", password: { env: "AM_PASS" } } }],
      route: { receiver: name, routes: [] },
    }, { AM_PASS: "s3cret" });
    const r = cfg.alerting.receivers[0]!;
    if (r.type !== "alertmanager") throw new Error("expected an Alertmanager receiver");
    const c = clock();
    const ctx: DispatchContext = { settings: cfg.alerting, externalURL: "https://noc.example.com", now: c.now };
    const worker = new DeliveryWorker({ store, receivers: [r], now: c.now });
    await dispatchReceiver(store, ctx, r);
    const fire = alertEvent({ alertname: "ComponentDown", component: comp }, { at: c.now() });
    await enqueueAlertEvents(store, [fire]);
    await pass(ctx, r, worker);
    const [req] = await am.waitFor(1);
    expect(req!.url).toBe("/api/v2/alerts");
    expect(req!.headers.authorization).toBe(`Basic ${Buffer.from("hacr:s3cret").toString("base64")}`);
    const sent = JSON.parse(req!.body) as { labels: Record<string, string>; endsAt: string; generatorURL: string }[];
    expect(sent).toEqual([expect.objectContaining({ labels: fire.labels, endsAt: new Date(c.now() + 240_000).toISOString(), generatorURL: "https://noc.example.com/clusters/main" })]);

    const resent = await resendActive(store, { settings: cfg.alerting, externalURL: "", receiver: r, now: c.now() + 60_000 });
    expect(resent.result?.code).toBe(200);
    const again = JSON.parse(am.requests[1]!.body) as { labels: Record<string, string>; endsAt: string }[];
    expect(again.find((x) => x.labels.component === comp)?.endsAt).toBe(new Date(c.now() + 300_000).toISOString());

    await enqueueAlertEvents(store, [{ ...fire, status: "resolved", at: c.now() + 1000, endsAt: c.now() + 1000 }]);
    await pass(ctx, r, worker);
    const resolved = JSON.parse(am.requests[2]!.body) as { endsAt: string }[];
    expect(resolved).toEqual([expect.objectContaining({ endsAt: new Date(c.now() + 1000).toISOString() })]);
    const after = await resendActive(store, { settings: cfg.alerting, externalURL: "", receiver: r, now: c.now() + 120_000 });
    expect(JSON.stringify(after)).not.toContain(comp);
  });
});

describe("startAlerting", () => {
  it("does nothing without an alerting section", async () => {
    const a = await startAlerting({ store, config: { alerting: undefined, auth: alertingConfig({ receivers: [{ name: "x", type: "webhook", url: "http://127.0.0.1:1/" }], route: { receiver: "x" } }).auth } });
    await a.stop();
  });

  it("ticks on its own: an alert reaches a direct webhook, once, and a restart sends nothing again", async () => {
    const hook = await receiver();
    const { cfg, name } = setup(hook.url);
    let a = await startAlerting({ store, config: cfg });
    // Let it create its cursor before the alert, as a running dashboard would have.
    await new Promise((r) => setTimeout(r, 400));
    await enqueueAlertEvents(store, [alertEvent({ alertname: "ComponentDown", component: component() })]);
    await hook.waitFor(1, 5000);
    await a.stop();
    a = await startAlerting({ store, config: cfg });
    await new Promise((r) => setTimeout(r, 600));
    await a.stop();
    expect(hook.requests).toHaveLength(1);
    expect((await listNotifications(store, { receiver: name }))[0]?.state).toBe("delivered");
  });
});

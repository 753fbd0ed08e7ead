/**
 * Alerts end to end against the lab: a production dashboard (scripts/serve.mjs on .next-test, its own
 * port and PGlite store, the lab's config), the lab's real Alertmanager and the webhook sink. What was
 * notified is judged by Alertmanager's own API and by what the sink received, never by the dashboard's
 * tables; only the delivery log of a silenced notification is read from the store, after the process
 * has stopped. Every test leaves the lab healthy for the next.
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { amAlerts, labWebhookSecret, sinkControl, sinkMark, sinkRecords, sinkReset, webhookBody, type AmAlert, type SinkRecord } from "@/e2e/lab/alerting";
import { COMPONENT_ALERT, confirmedAt, signIn, transitionsOf, trpcMutation, trpcQuery, type Session, type TransitionRow } from "@/e2e/lab/dashboard-http";
import { startDashboard, type DashboardProcess } from "@/e2e/lab/dashboard-process";
import { REPO } from "@/e2e/lab/daemons";
import { healthyPatroni } from "@/e2e/lab/inspect";
import { fault, up } from "@/e2e/lab/lab";
import { sleep, waitFor } from "@/e2e/lab/proc";
import { PG_SCOPE, WEBHOOK_SINK } from "@/e2e/lab/topology";
import type { Snapshot } from "@/lib/snapshot";
import { notifications } from "@/server/store/schema-alerts";
import { openStore, storeDb } from "@/server/store/store";

const PORT = 3171;
const STORE_DIR = path.join(REPO, ".data/alerting-lab-store");
/** The lab's Alertmanager receiver re-sends every 2 s with endsAt 4× that ahead (e2e/lab/dashboard-config.ts). */
const AM_ENDS_AHEAD_MS = 4 * 2000;
const { alertmanager: AM_PATH, direct: DIRECT_PATH, approvers: APPROVERS_PATH } = WEBHOOK_SINK.paths;

let dash: DashboardProcess | undefined;
let viewer: Session;
let operator: Session;
let admin: Session;
let secret: string;
/** The maintenance window of the silencing test, looked for in the delivery log at the end. */
let maintenanceId: number | undefined;
/** The webhook-ids of the retry test's delivered and refused notifications, looked for there too. */
const retried: { id?: string; deadId?: string } = {};

async function startDash(): Promise<void> {
  dash = await startDashboard({ port: PORT, storeDir: STORE_DIR });
  [viewer, operator, admin] = await Promise.all([signIn(dash.url, "viewer"), signIn(dash.url, "operator"), signIn(dash.url, "admin")]);
}

const labHealthy = () => waitFor("a healthy Patroni cluster", healthyPatroni, 120_000, 250);

async function componentUp(id: string, timeoutMs = 60_000): Promise<void> {
  await waitFor(`the dashboard to show ${id} UP`, async () => (await trpcQuery<Snapshot>(viewer, "overview.get", undefined)).components.find((c) => c.id === id)?.status === "UP", timeoutMs, 250);
}

/** The first confirmed change of a component away from UP since `since`. */
const leftUp = (id: string, since: number, timeoutMs = 30_000) =>
  waitFor(`a confirmed change of ${id} away from UP`, async () => (await transitionsOf(viewer, `component:${id}`, since)).find((t) => t.fromStatus === "UP" && t.toStatus !== "UP"), timeoutMs, 100);
const backUp = (id: string, after: TransitionRow, timeoutMs = 90_000) =>
  waitFor(`a confirmed return of ${id} to UP`, async () => (await transitionsOf(viewer, `component:${id}`, after.at)).find((t) => t.id > after.id && t.toStatus === "UP"), timeoutMs, 250);

/** Alertmanager-format bodies' alerts in the sink's records on a path since `after`. */
async function sinkAlerts(p: string, after: number) {
  return (await sinkRecords({ path: p, after })).flatMap((r) => (webhookBody(r)?.alerts ?? []).map((a) => ({ record: r, alert: a })));
}

const verifier = () => new Webhook(secret);
const verifies = (r: SinkRecord, body = r.body) => {
  try {
    verifier().verify(body, r.headers);
    return true;
  } catch {
    return false;
  }
};

beforeAll(async () => {
  await up();
  await labHealthy();
  await sinkReset();
  secret = labWebhookSecret();
  rmSync(STORE_DIR, { recursive: true, force: true });
  rmSync(`${STORE_DIR}.lock`, { force: true });
  await startDash();
}, 180_000);

afterAll(async () => {
  await dash?.stop();
  await sinkReset().catch(() => undefined);
});

describe("alerts from a running dashboard", () => {
  it("the Watchdog is in Alertmanager while the dashboard runs", async () => {
    const [wd] = await waitFor("the Watchdog in Alertmanager", async () => (await amAlerts({ alertname: "Watchdog" })).length > 0 && amAlerts({ alertname: "Watchdog" }), 30_000, 250);
    expect(wd!.labels.severity).toBe("info");
    expect(wd!.status.state).toBe("active");
    // Sent with an end ahead, renewed while the dashboard lives: that is what lets it lapse.
    expect(Date.parse(wd!.endsAt)).toBeGreaterThan(Date.now());
  });

  it("kill of the Patroni leader: the alert is in Alertmanager within 3 s of the confirmed change, resolved after recovery; the receivers behind it and the direct hook get both, signed", async () => {
    const leader = (await labHealthy()).leader.name;
    await componentUp("database");
    const mark = await sinkMark();
    const t0 = Date.now();
    // Alertmanager is watched from the kill on, so its first sight of each alert is timed on its own.
    const firstSeen = new Map<string, { at: number; alert: AmAlert }>();
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        for (const a of await amAlerts({ component: "database" }).catch(() => [])) if (!firstSeen.has(a.labels.alertname!)) firstSeen.set(a.labels.alertname!, { at: Date.now(), alert: a });
        await sleep(50);
      }
    })();
    let change: TransitionRow;
    try {
      await fault("kill", leader);
      await leftUp("database", t0 - 1000);
      // The kill often passes through DEGRADED for one evaluation on its way to DOWN: that alert fires
      // and resolves before a delivery pass, and only DOWN reaches Alertmanager (as Alertmanager would
      // do within its own group_wait). So time the first alert Alertmanager shows against the
      // confirmed change that raised it.
      const componentAlerts = new Set(Object.values(COMPONENT_ALERT));
      const seen = await waitFor("a component alert for database in Alertmanager", () => [...firstSeen.values()].find((x) => componentAlerts.has(x.alert.labels.alertname!)), 15_000, 50);
      const alertname = seen.alert.labels.alertname!;
      const changes = await transitionsOf(viewer, "component:database", t0 - 1000);
      change = changes.filter((t) => COMPONENT_ALERT[t.toStatus] === alertname && confirmedAt(t) <= seen.at).sort((a, b) => confirmedAt(a) - confirmedAt(b)).at(-1)!;
      expect(change, `a confirmed database change to the status of ${alertname} before Alertmanager showed it: ${JSON.stringify(changes)}`).toBeDefined();
      console.log(`database ${change.fromStatus}→${change.toStatus} confirmed ${confirmedAt(change) - t0} ms after the kill; ${alertname} in Alertmanager ${seen.at - confirmedAt(change)} ms after that (changes: ${changes.map((t) => t.toStatus).join("→")})`);
      expect(seen.at - confirmedAt(change)).toBeLessThanOrEqual(3000);
      expect(seen.alert.labels).toMatchObject({ alertname, component: "database", severity: expect.stringMatching(/^(critical|warning)$/) });
      expect(seen.alert.generatorURL).toMatch(/^https?:\/\/.+\/clusters\//);
    } finally {
      watching = false;
      await watcher;
      await fault("start", leader);
    }
    const alertname = COMPONENT_ALERT[change.toStatus]!;
    const fp = firstSeen.get(alertname)!.alert.fingerprint;
    await labHealthy();
    const recovered = await backUp("database", change);
    await waitFor(`${alertname} resolved in Alertmanager`, async () => !(await amAlerts({ alertname, component: "database" })).some((a) => a.fingerprint === fp), 15_000, 100);
    console.log(`database back UP (confirmed ${confirmedAt(recovered) - t0} ms after the kill)`);

    // Alertmanager told its receiver (the sink's /am) of both, by the same fingerprint.
    const amStatuses = async () => new Set((await sinkAlerts(AM_PATH, mark)).filter((x) => x.alert.fingerprint === fp).map((x) => x.alert.status));
    await waitFor("Alertmanager's webhook to deliver firing and resolved", async () => (await amStatuses()).size === 2, 15_000, 200);

    // The direct receiver got both too, in Alertmanager's format, under the same fingerprint, every request signed.
    const directStatuses = async () => new Set((await sinkAlerts(DIRECT_PATH, mark)).filter((x) => x.alert.fingerprint === fp).map((x) => x.alert.status));
    await waitFor("the direct webhook to deliver firing and resolved", async () => (await directStatuses()).size === 2, 15_000, 200);
    const direct = await sinkRecords({ path: DIRECT_PATH, after: mark });
    expect(direct.length).toBeGreaterThan(0);
    for (const r of direct) {
      expect(r.headers["webhook-id"]).toBeTruthy();
      expect(r.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*( v1,[A-Za-z0-9+/]+=*)*$/);
      expect(verifies(r), `signature of ${r.headers["webhook-id"]}`).toBe(true);
      expect(webhookBody(r)).toMatchObject({ version: "4", receiver: "direct", status: expect.stringMatching(/^(firing|resolved)$/) });
    }
    // A tampered body, or the right body signed with another secret, does not verify.
    const sample = direct[0]!;
    expect(verifies(sample, sample.body.replace(/"status":"(firing|resolved)"/, '"status":"tampered"'))).toBe(false);
    expect(() => new Webhook(`whsec_${Buffer.alloc(32, 7).toString("base64")}`).verify(sample.body, sample.headers)).toThrow();
  }, 240_000);

  it("an approval request reaches the approvers' hook, signed, and its cancellation resolves it", async () => {
    // After the leader kill, the dashboard must see the cluster whole again before it accepts a request.
    const target = await waitFor(
      "the dashboard's preflight to allow a switchover",
      async () => {
        const h = await healthyPatroni();
        if (!h) return undefined;
        const pre = await trpcQuery<{ ok: boolean }>(operator, "actions.preflight", { kind: "patroni_switchover", targetId: PG_SCOPE, node: h.sync.name });
        return pre.ok ? h.sync.name : undefined;
      },
      60_000,
      500,
    );
    const mark = await sinkMark();
    const { action } = await trpcMutation<{ action: { id: number; state: string } }>(operator, "actions.request", {
      kind: "patroni_switchover",
      targetId: PG_SCOPE,
      node: target,
      reason: "alerting lab test: an approval request",
      clientRequestId: crypto.randomUUID(),
    });
    expect(action.state, JSON.stringify(action)).toBe("requested");
    const forAction = async (status: "firing" | "resolved") =>
      (await sinkAlerts(APPROVERS_PATH, mark)).find((x) => x.alert.status === status && x.alert.labels.alertname === "ActionAwaitingApproval" && x.alert.labels.action_id === String(action.id));
    try {
      const got = await waitFor("the approvers' hook to get the request", () => forAction("firing"), 15_000, 100);
      expect(got.record.code).toBe(200);
      expect(verifies(got.record)).toBe(true);
      expect(got.alert.generatorURL).toMatch(new RegExp(`/actions/${action.id}$`));
    } finally {
      await trpcMutation(operator, "actions.cancel", { id: action.id, reason: "alerting lab test over" });
    }
    await waitFor("the approvers' hook to get the resolution", () => forAction("resolved"), 15_000, 100);
  }, 60_000);

  it("during a maintenance window a component's alert notifies no one", async () => {
    await componentUp("risk-engine");
    const now = Date.now();
    const w = await trpcMutation<{ id: number }>(admin, "sla.maintenance.create", { components: ["risk-engine"], start: now, end: now + 10 * 60_000, reason: "alerting lab test: silenced" });
    maintenanceId = w.id;
    const mark = await sinkMark();
    let change: TransitionRow;
    try {
      await fault("kill", "risk");
      change = await leftUp("risk-engine", now - 1000);
      // Well past the 3 s an alert needs to reach Alertmanager and the direct hook.
      await sleep(6000);
      const sent = (await sinkAlerts(DIRECT_PATH, mark)).concat(await sinkAlerts(AM_PATH, mark)).filter((x) => x.alert.labels.component === "risk-engine");
      expect(sent.map((x) => `${x.record.path} ${x.alert.labels.alertname} ${x.alert.status}`)).toEqual([]);
      expect(await amAlerts({ component: "risk-engine" })).toEqual([]);
    } finally {
      await fault("start", "risk");
    }
    await backUp("risk-engine", change);
    await sleep(2000);
    expect((await sinkAlerts(DIRECT_PATH, mark)).filter((x) => x.alert.labels.component === "risk-engine")).toEqual([]);
    await trpcMutation(admin, "sla.maintenance.cancel", { id: w.id });
  }, 120_000);

  it("a receiver answering 500 twice then 200 gets one delivery after the retries; a 400 is not retried", async () => {
    await componentUp("risk-engine");
    const mark = await sinkMark();
    const ofRisk = (r: SinkRecord, status: "firing" | "resolved") => webhookBody(r)?.alerts.some((a) => a.status === status && a.labels.component === "risk-engine") ?? false;
    let change: TransitionRow;
    await sinkControl(DIRECT_PATH, { codes: [500, 500], then: 200 });
    try {
      await fault("kill", "risk");
      change = await leftUp("risk-engine", Date.now() - 1000);
      const ok = await waitFor("the firing notification delivered after two 500s", async () => (await sinkRecords({ path: DIRECT_PATH, after: mark })).find((r) => r.code === 200 && ofRisk(r, "firing")), 20_000, 100);
      retried.id = ok.headers["webhook-id"]!;
      const tries = (await sinkRecords({ path: DIRECT_PATH, after: mark })).filter((r) => r.headers["webhook-id"] === retried.id);
      expect(tries.map((r) => r.code)).toEqual([500, 500, 200]);
      expect(verifies(ok)).toBe(true);
      // The resolution meets a 400: a permanent refusal, not retried.
      await sinkControl(DIRECT_PATH, { codes: [400], then: 200 });
    } finally {
      await fault("start", "risk");
    }
    await backUp("risk-engine", change);
    const refused = await waitFor("the resolution refused with 400", async () => (await sinkRecords({ path: DIRECT_PATH, after: mark })).find((r) => r.code === 400 && ofRisk(r, "resolved")), 20_000, 100);
    retried.deadId = refused.headers["webhook-id"]!;
    await sleep(3000);
    expect((await sinkRecords({ path: DIRECT_PATH, after: mark })).filter((r) => r.headers["webhook-id"] === retried.deadId).map((r) => r.code)).toEqual([400]);
    await sinkReset();
  }, 120_000);

  it("a receiver down while the dashboard is SIGKILLed and restarted gets the notification after the restart, once, with the same webhook-id", async () => {
    await componentUp("order-management");
    await sinkControl(DIRECT_PATH, { then: "down" });
    const mark = await sinkMark();
    let change: TransitionRow | undefined;
    try {
      await fault("kill", "oms");
      change = await leftUp("order-management", Date.now() - 1000);
      const firing = (r: SinkRecord) => webhookBody(r)?.alerts.some((a) => a.status === "firing" && a.labels.component === "order-management") ?? false;
      const attempt = await waitFor("an attempt at the downed receiver", async () => (await sinkRecords({ path: DIRECT_PATH, after: mark })).find((r) => r.code === null && firing(r)), 15_000, 50);
      const id = attempt.headers["webhook-id"]!;
      await dash!.stop("SIGKILL");
      await sinkControl(DIRECT_PATH, { then: 200 });
      await startDash();
      const delivered = await waitFor(`${id} delivered after the restart`, async () => (await sinkRecords({ path: DIRECT_PATH, after: mark })).find((r) => r.headers["webhook-id"] === id && r.code === 200), 30_000, 100);
      expect(verifies(delivered)).toBe(true);
      // Time for a duplicate to show up, if the restarted dashboard were to send one.
      await sleep(5000);
      const all = (await sinkRecords({ path: DIRECT_PATH, after: mark })).filter((r) => r.headers["webhook-id"] === id);
      expect(all.filter((r) => r.code !== null && r.code >= 200 && r.code < 300)).toHaveLength(1);
      // Every attempt, before and after the crash, is the same notification byte for byte.
      expect(new Set(all.map((r) => r.body)).size).toBe(1);
      expect(all.filter((r) => r.code === null).length).toBeGreaterThanOrEqual(1);
    } finally {
      await sinkReset();
      await fault("start", "oms");
    }
    if (change) await backUp("order-management", change);
  }, 180_000);

  it("the Watchdog lapses in Alertmanager once the dashboard is gone, and Alertmanager tells its receiver", async () => {
    await waitFor("the Watchdog in Alertmanager", async () => (await amAlerts({ alertname: "Watchdog" })).length > 0, 30_000, 250);
    const mark = await sinkMark();
    await dash!.stop("SIGKILL");
    const t0 = Date.now();
    await waitFor("the Watchdog to lapse in Alertmanager", async () => (await amAlerts({ alertname: "Watchdog" })).length === 0, AM_ENDS_AHEAD_MS + 5000, 250);
    console.log(`Watchdog gone from Alertmanager ${Date.now() - t0} ms after the dashboard died`);
    await waitFor("Alertmanager's receiver to hear the Watchdog resolved", async () => (await sinkAlerts(AM_PATH, mark)).some((x) => x.alert.labels.alertname === "Watchdog" && x.alert.status === "resolved"), 10_000, 250);
  }, 60_000);

  it("the delivery log holds the silenced notification naming the window, the retried one as delivered and the refused one as dead", async () => {
    expect(maintenanceId).toBeDefined();
    expect(retried.id && retried.deadId).toBeTruthy();
    const store = await openStore({ dataDir: STORE_DIR });
    try {
      const rows = await storeDb(store).select().from(notifications);
      // The body is frozen at creation: the alert's labels are in it whatever the receiver's format.
      const silenced = rows.filter((n) => n.state === "silenced" && n.body.includes('"risk-engine"'));
      expect(silenced.length, JSON.stringify(rows.map((n) => [n.receiver, n.state, n.title, n.note]))).toBeGreaterThan(0);
      for (const n of silenced) expect(n.note).toBe(`silenced by maintenance #${maintenanceId}`);
      const delivered = rows.find((n) => n.webhookId === retried.id);
      expect(delivered).toMatchObject({ receiver: "direct", state: "delivered", attempts: 3, lastCode: 200 });
      const dead = rows.find((n) => n.webhookId === retried.deadId);
      expect(dead).toMatchObject({ receiver: "direct", state: "dead", attempts: 1, lastCode: 400 });
    } finally {
      await store.close();
    }
  });
});

import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { amAlerts, amPost, sinkControl, sinkMark, sinkRecords, sinkReset, webhookBody } from "./alerting";
import { up } from "./lab";
import { waitFor } from "./proc";
import { ALERTMANAGER, WEBHOOK_SINK } from "./topology";

/**
 * The lab's alerting plumbing on its own, before any dashboard: the real Alertmanager routes what it is
 * sent to the webhook sink at once (firing, then resolved), runs alone (no gossip), and the sink plays
 * the failing receiver it is told to be.
 */

beforeAll(async () => {
  await up();
  await sinkReset();
}, 180_000);

const PROBE = "/lab-probe";

describe("the lab's Alertmanager", () => {
  it("runs alone: cluster gossip is off", async () => {
    const status = (await (await fetch(`${ALERTMANAGER.url}/api/v2/status`)).json()) as { cluster: { status: string; peers?: unknown[] } };
    expect(status.cluster.status).toBe("disabled");
  });

  it("lists an alert it was sent, tells the sink at once, and tells it again when the alert resolves", async () => {
    const labels = { alertname: "LabProbe", probe: randomUUID(), severity: "info" };
    const mark = await sinkMark();
    const t0 = Date.now();
    await amPost([{ labels, annotations: { summary: "a probe of the lab's route" }, startsAt: new Date(t0).toISOString() }]);
    const listed = await amAlerts({ probe: labels.probe });
    expect(listed.map((a) => [a.labels, a.status.state, a.receivers.map((r) => r.name)])).toEqual([[labels, "active", ["sink"]]]);

    const ofProbe = async (status: "firing" | "resolved") =>
      (await sinkRecords({ path: WEBHOOK_SINK.paths.alertmanager, after: mark })).filter((r) => {
        const b = webhookBody(r);
        return b?.status === status && b.alerts.some((a) => a.labels.probe === labels.probe);
      });
    const [firing] = await waitFor("the sink to get the firing alert from Alertmanager", async () => (await ofProbe("firing")).length > 0 && ofProbe("firing"), 10_000, 100);
    expect(webhookBody(firing!)).toMatchObject({ version: "4", receiver: "sink", status: "firing", alerts: [{ status: "firing", labels }] });
    expect(firing!.at - t0).toBeLessThan(5_000);

    await amPost([{ labels, endsAt: new Date().toISOString() }]);
    await waitFor("Alertmanager to drop the resolved alert from its active list", async () => (await amAlerts({ probe: labels.probe })).length === 0, 5_000, 100);
    const [resolved] = await waitFor("the sink to get the resolution", async () => (await ofProbe("resolved")).length > 0 && ofProbe("resolved"), 10_000, 100);
    expect(webhookBody(resolved!)).toMatchObject({ status: "resolved", alerts: [{ status: "resolved", labels }] });
  });
});

describe("the webhook sink", () => {
  it("records every request with its raw body and headers, answering as told: codes in turn, down, then the rest", async () => {
    await sinkControl(PROBE, { codes: [500, "down", 429], then: 204 });
    const mark = await sinkMark();
    const body = JSON.stringify({ n: randomUUID() });
    const answers: (number | string)[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await fetch(`${WEBHOOK_SINK.url}${PROBE}`, { method: "POST", headers: { "content-type": "application/json", "webhook-id": `msg_${i}` }, body }).then(
        (res) => res.status,
        () => "dropped",
      );
      answers.push(r);
    }
    expect(answers).toEqual([500, "dropped", 429, 204, 204]);
    const recs = await sinkRecords({ path: PROBE, after: mark });
    expect(recs.map((r) => [r.code, r.headers["webhook-id"], r.body, r.method])).toEqual([
      [500, "msg_0", body, "POST"],
      [null, "msg_1", body, "POST"],
      [429, "msg_2", body, "POST"],
      [204, "msg_3", body, "POST"],
      [204, "msg_4", body, "POST"],
    ]);
    await sinkReset();
    expect((await fetch(`${WEBHOOK_SINK.url}${PROBE}`, { method: "POST", body: "{}" })).status).toBe(200);
  });

  it("refuses a malformed rule, naming what it expects", async () => {
    const res = await fetch(`${WEBHOOK_SINK.url}/_sink/control`, { method: "POST", body: JSON.stringify({ path: "direct", codes: [700] }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/expected \{"path": "\/x"/);
  });
});

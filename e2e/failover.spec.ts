import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { WriteLoop } from "../server/actions/testing/write-loop";
import { BASE_URL, signIn, trpcMutation, type DemoUser } from "./auth-helpers";
import { demoPassword } from "./lab/demo-users";
import { healthyPatroni, patroniCluster } from "./lab/inspect";
import { waitFor } from "./lab/proc";
import { HAPROXY, HOST, PG_AUTH, PG_NODES } from "./lab/topology";

/**
 * Guarded failover in the browser, against `next start` and the lab: two people in two browser
 * contexts (the demo operator requests, the demo approver approves) perform a real Patroni switchover,
 * which Patroni's own API confirms while a write loop through HAProxy loses no acknowledged write.
 * A viewer sees no guarded button and the API refuses them.
 */

const SIGNED_OUT = { cookies: [], origins: [] };

async function contextAs(browser: Browser, user: DemoUser) {
  const ctx = await browser.newContext({ baseURL: BASE_URL, storageState: SIGNED_OUT });
  await signIn(ctx.request, user);
  return ctx;
}

const pgOf = (name: string) => PG_NODES.find((n) => n.name === name)!.pg;

/** Leader, sync standby, both replicas streaming, and enough time since the last switchover for the lab's cooldown (5 s). */
async function healthyCluster() {
  return waitFor(
    "a Patroni leader with a sync standby and two streaming replicas",
    async () => {
      const h = await healthyPatroni();
      return h && { leader: h.leader.name, sync: h.sync.name, timeline: h.leader.timeline ?? 0 };
    },
    90_000,
    250,
  );
}

/** A request left pending by an interrupted earlier run would hold the cluster for its approval window: withdraw it. */
async function cancelLeftovers(ctx: BrowserContext) {
  const input = encodeURIComponent(JSON.stringify({ json: { states: ["requested"], targetId: "labcluster", limit: 50 } }));
  const res = await ctx.request.get(`/api/trpc/actions.list?input=${input}`);
  const pending = ((await res.json()).result.data.json ?? []) as { id: number }[];
  for (const a of pending) await trpcMutation(ctx.request, "actions.cancel", { id: a.id, reason: "left over by an earlier e2e run" });
}

async function clusterPage(page: Page) {
  await page.goto("/clusters/labcluster");
  await expect(page.getByTestId("cluster-leader")).not.toHaveText("—");
}

test.describe("guarded failover", () => {
  test("a viewer sees no guarded button, and the API refuses a request from them", async ({ page, request }) => {
    const h = await healthyCluster();
    await clusterPage(page);
    await expect(page.getByTestId("cluster-leader")).toHaveText(h.leader);
    await expect(page.getByTestId("cluster-actions")).toHaveCount(0);
    await expect(page.getByRole("button", { name: /Switch over/ })).toHaveCount(0);
    await page.goto("/redis");
    await expect(page.getByTestId("sentinel-group-labredis")).toBeVisible();
    await expect(page.getByRole("button", { name: /Sentinel failover/ })).toHaveCount(0);
    await page.goto("/vrrp");
    await expect(page.getByRole("heading", { name: "VRRP (keepalived)" })).toBeVisible();
    await expect(page.getByTestId("vrrp-actions")).toHaveCount(0);

    const res = await trpcMutation(request, "actions.request", {
      kind: "patroni_switchover", targetId: "labcluster", node: h.sync, reason: "a viewer tries anyway", clientRequestId: "viewer-tries-0001",
    });
    expect(res.status()).toBe(403);
    expect((await res.json()).error.json.message).toBe("This needs the operator role; you are viewer");
  });

  test("the operator requests a switchover, the approver approves it in another browser; Patroni confirms the new leader, no acknowledged write lost", async ({ browser }, testInfo) => {
    test.setTimeout(180_000);
    const h = await healthyCluster();
    await new Promise((r) => setTimeout(r, 5_500)); // the lab's cooldown since an earlier switchover
    const operator = await contextAs(browser, "operator");
    const approver = await contextAs(browser, "approver");
    await cancelLeftovers(operator);
    const writes = new WriteLoop({ host: HOST, port: HAPROXY.rw, user: PG_AUTH.superuser.username, password: PG_AUTH.superuser.password, table: "hacr_e2e_writes" });
    await writes.start();
    try {
      // The approver's inbox is open first: the request must arrive there live.
      const inbox = await approver.newPage();
      await inbox.goto("/approvals");
      await expect(inbox.getByTestId("approvals-inbox")).toBeVisible();

      const op = await operator.newPage();
      await clusterPage(op);
      await op.getByTestId(`switchover-${h.sync}`).click();
      const dialog = op.getByTestId("request-dialog");
      await expect(dialog.getByTestId("preflight-verdict")).toHaveText("Preflight passed", { timeout: 20_000 });
      await expect(dialog.getByTestId("preflight-check-sync-set")).toHaveAttribute("data-result", "ok");
      await dialog.getByLabel("Reason (recorded in the audit log)").fill("e2e: patch the leader's host");
      await op.screenshot({ path: testInfo.outputPath("1-operator-confirm-dialog.png") });
      await dialog.getByTestId("request-submit").click();
      const result = dialog.getByTestId("request-result");
      await expect(result).toHaveAttribute("data-state", "requested");
      const id = Number(await result.getAttribute("data-action-id"));

      // The operator cannot approve their own request: the inbox offers them only Cancel.
      await op.goto("/approvals");
      await expect(op.getByTestId(`inbox-request-${id}`)).toBeVisible();
      await expect(op.getByTestId(`approve-${id}`)).toHaveCount(0);
      await expect(op.getByTestId(`cancel-${id}`)).toBeVisible();

      await expect(inbox.getByTestId(`inbox-request-${id}`)).toBeVisible();
      await inbox.screenshot({ path: testInfo.outputPath("2-approver-inbox.png") });
      await inbox.getByTestId(`approve-${id}`).click();
      // Re-authentication: the approver's password is the proof (typing the target's name is not offered);
      // a wrong one is refused (and audited), their own one goes through.
      const approveDialog = inbox.getByTestId("approve-dialog");
      await expect(approveDialog.getByTestId("approve-confirm")).toHaveCount(0);
      await approveDialog.getByTestId("approve-password").fill("not-my-password");
      await approveDialog.getByTestId("approve-submit").click();
      await expect(approveDialog.getByRole("alert")).toHaveText("the password is not correct");
      await approveDialog.getByTestId("approve-password").fill(demoPassword("approver"));
      await approveDialog.getByTestId("approve-submit").click();
      await expect(inbox).toHaveURL(`${BASE_URL}/actions/${id}`);
      await expect(inbox.getByTestId("action-progress")).toHaveAttribute("data-state", "succeeded", { timeout: 90_000 });
      await expect(inbox.getByTestId("action-state")).toContainText("SUCCEEDED");
      for (const phase of ["request", "approval", "execution", "verification"]) {
        await expect(inbox.getByTestId(`phase-${phase}`)).toHaveAttribute("data-phase-state", "done");
      }
      await expect(inbox.getByTestId("action-timeline")).toHaveText(`New Patroni timeline: ${h.timeline + 1}`);
      await expect(inbox.getByTestId("action-outcome")).toContainText(`${h.sync} is the primary on timeline ${h.timeline + 1}`);
      await inbox.screenshot({ path: testInfo.outputPath("3-progress-succeeded.png"), fullPage: true });

      // Patroni's own API: the candidate leads now.
      const c = await patroniCluster();
      expect(c?.members.find((m) => m.role === "leader")?.name).toBe(h.sync);
      await expect.poll(() => writes.firstAckOn(pgOf(h.sync), 0)?.port, { timeout: 10_000 }).toBe(pgOf(h.sync));
    } finally {
      await writes.stop();
      await operator.close();
      await approver.close();
    }
    expect(writes.acks.length).toBeGreaterThan(50);
    expect(await writes.lost()).toEqual([]);
    await healthyCluster();
  });
});

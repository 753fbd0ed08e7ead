import { expect, test } from "@playwright/test";
import { haproxyStats, keepalivedInstances, patroniCluster, patroniHistory, sentinelMasters, vipHolder } from "./lab/inspect";
import { VRRP_INSTANCES, VRRP_NODES } from "./lab/topology";
import { collectConsoleErrors } from "./page-errors";

/**
 * The detail pages against the real lab: each compares what the page shows with what the component
 * itself says (Patroni REST, the keepalived state files, the sentinels, HAProxy's stats). Read-only:
 * no fault is injected. Screenshots are kept as artifacts; the cluster page's also goes to docs/.
 */

const CLUSTER = "labcluster";

/** A Recharts line with at least one drawn segment (M x,y followed by L x,y). */
const DRAWN_LINE = /M-?[\d.]+,-?[\d.]+L-?[\d.]+,-?[\d.]+/;

test("the cluster page shows Patroni's leader and members, and lag charts with real points", async ({ page }, testInfo) => {
  const errors = collectConsoleErrors(page);
  await page.goto(`/clusters/${CLUSTER}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Patroni");

  // Patroni asked directly, compared with the page; retried so a member changing state mid-read cannot flake it.
  await test.step("members match Patroni", () => expect(async () => {
    const cluster = await patroniCluster();
    expect(cluster, "Patroni REST answers").toBeDefined();
    const leader = cluster!.members.find((m) => m.role === "leader");
    expect(leader, "Patroni names a leader").toBeDefined();
    await expect(page.getByTestId("cluster-leader")).toHaveText(leader!.name, { timeout: 1000 });
    for (const m of cluster!.members) {
      await expect(page.getByTestId(`member-${m.name}`)).toHaveAttribute("data-role", m.role, { timeout: 1000 });
      await expect(page.getByTestId(`member-${m.name}`)).toContainText(`${m.host}:${m.port}`, { timeout: 1000 });
    }
    await expect(page.getByTestId("member-table").locator("tbody tr")).toHaveCount(cluster!.members.length, { timeout: 1000 });
  }).toPass({ timeout: 20_000 }));

  const cluster = (await patroniCluster())!;
  const standbys = cluster.members.filter((m) => m.role !== "leader").map((m) => m.name);
  expect(standbys.length).toBeGreaterThan(0);

  // The 5 min charts: stored samples plus live ones; the server writes a sample a second, so give it a few.
  for (const name of standbys) {
    for (const unit of ["seconds", "bytes"]) await test.step(`${name} ${unit} chart has points`, async () => {
      const chart = page.getByTestId(`lag-chart-${name}-${unit}`);
      await expect(chart.locator("path.recharts-line-curve")).toHaveAttribute("d", DRAWN_LINE, { timeout: 30_000 });
      await expect.poll(async () => Number(await chart.getAttribute("data-points")), { timeout: 30_000 }).toBeGreaterThan(1);
    });
  }
  // The limit line on the seconds chart is labelled, not only coloured.
  const seconds = page.getByTestId(`lag-chart-${standbys[0]}-seconds`);
  await expect(seconds.locator(".recharts-reference-line")).toHaveCount(1);
  await expect(seconds).toContainText("limit 5 s");

  // The range buttons work from the keyboard.
  const hour = page.getByTestId("range-1h");
  await hour.focus();
  await page.keyboard.press("Enter");
  await expect(hour).toHaveAttribute("aria-pressed", "true");
  await expect(seconds.locator("path.recharts-line-curve")).toHaveAttribute("d", DRAWN_LINE);
  await page.getByTestId("range-5m").click();
  await expect(page.getByTestId("range-5m")).toHaveAttribute("aria-pressed", "true");
  await expect(seconds.locator("path.recharts-line-curve")).toHaveAttribute("d", DRAWN_LINE);

  // One row per timeline switch Patroni lists; a fresh lab has had none, and the page says so.
  const history = await patroniHistory();
  expect(history, "Patroni's /history answers").toBeDefined();
  if (history!.length === 0) await expect(page.getByText("No timeline switches recorded")).toBeVisible();
  else await expect(page.getByTestId("timeline-history").locator("tbody tr")).toHaveCount(history!.length);
  await page.screenshot({ path: testInfo.outputPath("cluster.png"), fullPage: true });
  // The README's picture is refreshed on request only, so a test run leaves the tree clean.
  if (process.env.UPDATE_DOCS) await page.screenshot({ path: "docs/cluster.png", fullPage: true });
  expect(errors).toEqual([]);
});

test("/vrrp shows one MASTER per instance on the node that answers on its VIP, and each node's base and effective priority, as keepalived reports them", async ({ page }, testInfo) => {
  const errors = collectConsoleErrors(page);
  await page.goto("/vrrp");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("VRRP (keepalived)");
  // The holder the page shows is checked against the node that answers a request to the VIP inside
  // the lab's network, not against the state files the dashboard itself reads.
  await expect(async () => {
    for (const vi of VRRP_INSTANCES) {
      const holder = vipHolder(vi.vip);
      expect(holder, `${vi.name}: the VIP ${vi.vip} answers`).toBeTruthy();
      await expect(page.getByTestId(`vrrp-holder-${vi.name}`)).toHaveText(holder!, { timeout: 1000 });
      await expect(page.getByTestId(`vrrp-answer-${vi.name}`)).toHaveAttribute("data-node", holder!, { timeout: 1000 });
      await expect(page.getByTestId(`vrrp-answer-${vi.name}`)).toHaveText(`VIP answered by ${holder}`, { timeout: 1000 });
      await expect(page.getByTestId(`vrrp-cell-${vi.name}-${holder}`)).toHaveAttribute("data-state", "MASTER", { timeout: 1000 });
      await expect(page.getByTestId(`vrrp-row-${vi.name}`).locator('[data-state="MASTER"]')).toHaveCount(1, { timeout: 1000 });
    }
  }).toPass({ timeout: 20_000 });
  await expect(page.getByTestId("vrrp-split-brain")).toHaveCount(0);
  // Base and effective priority per node and instance, as keepalived itself reports them (its JSON dump).
  await expect(async () => {
    for (const n of VRRP_NODES) {
      const own = await keepalivedInstances(n.name);
      expect(own, `keepalived on ${n.name} answers its JSON dump`).toBeDefined();
      for (const i of own!) {
        if (i.state === "MASTER" || i.state === "BACKUP") await expect(page.getByTestId(`vrrp-cell-${i.instance}-${n.name}`)).toHaveAttribute("data-state", i.state, { timeout: 1000 });
        await expect(page.getByTestId(`vrrp-base-${i.instance}-${n.name}`)).toHaveText(String(i.basePriority), { timeout: 1000 });
        await expect(page.getByTestId(`vrrp-effective-${i.instance}-${n.name}`)).toHaveAttribute("data-priority", String(i.effectivePriority), { timeout: 1000 });
      }
    }
  }).toPass({ timeout: 20_000 });
  await page.screenshot({ path: testInfo.outputPath("vrrp.png"), fullPage: true });
  expect(errors).toEqual([]);
});

test("/redis shows the master the sentinels name", async ({ page }, testInfo) => {
  const errors = collectConsoleErrors(page);
  await page.goto("/redis");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Redis Sentinel");
  await expect(async () => {
    const masters = [...new Set(Object.values(await sentinelMasters()).filter(Boolean))];
    expect(masters, "the sentinels agree on one master").toHaveLength(1);
    await expect(page.getByTestId("redis-master-labredis")).toHaveText(masters[0]!, { timeout: 1000 });
    await expect(page.getByTestId(`redis-node-${masters[0]}`)).toHaveAttribute("data-role", "master", { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await expect(page.getByTestId("sentinels-labredis").locator("tbody tr")).toHaveCount(3);
  await expect(page.getByTestId("redis-nodes-labredis").locator("tbody tr")).toHaveCount(2);
  await page.screenshot({ path: testInfo.outputPath("redis.png"), fullPage: true });
  expect(errors).toEqual([]);
});

test("/haproxy lists pg_rw, pg_ro and trading with their servers as HAProxy reports them", async ({ page }, testInfo) => {
  const errors = collectConsoleErrors(page);
  await page.goto("/haproxy");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("HAProxy");
  for (const proxy of ["pg_rw", "pg_ro", "trading"]) await expect(page.getByTestId(`haproxy-proxy-${proxy}`)).toBeVisible();
  await expect(async () => {
    const rows = await haproxyStats();
    expect(rows, "HAProxy stats answer").toBeDefined();
    const servers = rows!.filter((r) => ["pg_rw", "pg_ro", "trading"].includes(r.pxname) && r.svname !== "FRONTEND" && r.svname !== "BACKEND");
    expect(servers.length).toBeGreaterThanOrEqual(8);
    for (const s of servers) {
      // Kept verbatim, "UP 1/3" included.
      await expect(page.getByTestId(`haproxy-server-${s.pxname}-${s.svname}`)).toHaveAttribute("data-status", s.status, { timeout: 1000 });
    }
  }).toPass({ timeout: 20_000 });
  await page.screenshot({ path: testInfo.outputPath("haproxy.png"), fullPage: true });
  expect(errors).toEqual([]);
});

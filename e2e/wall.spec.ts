import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import type { Snapshot } from "@/lib/snapshot";
import { signIn } from "./auth-helpers";
import { drain, fault } from "./lab/lab";
import { healthyPatroni, keepalivedInstances, patroniCluster, sentinelMasters, vipHolder } from "./lab/inspect";
import { sleep, waitFor } from "./lab/proc";
import { paths, PG_SCOPE, REDIS_MASTER_NAME, VRRP_DRAIN_WEIGHT, VRRP_INSTANCES, VRRP_NODES, VRRP_PRIORITY } from "./lab/topology";
import { collectConsoleErrors } from "./page-errors";

/**
 * /wall against the real lab and `next start`. Fault tests share the lab: run this file under
 * `flock /tmp/hacr-lab.lock`; each test restores what it breaks and leaves the lab healthy
 * (leader + 2 streaming replicas + a sync standby). Its own output folder, since another suite may
 * clean test-results/ meanwhile:
 *   NEXT_DIST_DIR=.next-e2e-wall npx next build
 *   flock /tmp/hacr-lab.lock env E2E_PORT=3201 NEXT_DIST_DIR=.next-e2e-wall HA_STORE_DIR=.data/e2e-wall \
 *     npx playwright test e2e/wall.spec.ts --output reports/e2e-wall
 */

test.describe.configure({ mode: "serial" });

const PORT = Number(process.env.E2E_PORT ?? 3100);
const LEADER = `wall-cluster-${PG_SCOPE}-leader`;
const SYNC = `wall-cluster-${PG_SCOPE}-sync`;
/** The dashboard config's id of a VRRP instance (e2e/lab/dashboard-config.ts): VI_TRADING → vi-trading. */
const vrrpId = (instance: string) => instance.toLowerCase().replace("_", "-");

async function labHealthy(timeoutMs = 120_000) {
  await waitFor(
    "a healthy Patroni cluster (leader, sync standby, 2 streaming replicas)",
    async () => (await healthyPatroni()) !== undefined,
    timeoutMs,
    250,
  );
}

async function expectNoScroll(page: Page) {
  const m = await page.evaluate(() => ({
    scrollHeight: document.scrollingElement!.scrollHeight,
    scrollWidth: document.scrollingElement!.scrollWidth,
    innerHeight,
    innerWidth,
  }));
  expect(m.scrollHeight, "the wall must not scroll vertically").toBeLessThanOrEqual(m.innerHeight);
  expect(m.scrollWidth, "the wall must not scroll horizontally").toBeLessThanOrEqual(m.innerWidth);
}

/** Every element with a data-testid starting "wall-" lies inside the viewport. */
async function expectAllInView(page: Page) {
  const outside = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>("[data-testid^='wall-']")]
      .filter((el) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && (r.bottom > innerHeight + 0.5 || r.right > innerWidth + 0.5);
      })
      .map((el) => el.dataset.testid),
  );
  expect(outside).toEqual([]);
}

/** The PID listening on `port`, only if the Playwright runner (which started the webServer) is its ancestor. */
function ownServerPid(port: number): number {
  const out = spawnSync("ss", ["-ltnpH", `sport = :${port}`], { encoding: "utf8" }).stdout;
  const pids = [...new Set([...out.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1])))];
  expect(pids, `exactly one process listens on ${port}`).toHaveLength(1);
  const pid = pids[0]!;
  const runner = process.ppid;
  let p = pid;
  for (let i = 0; i < 20 && p > 1; i++) {
    if (p === runner) return pid;
    const status = readFileSync(`/proc/${p}/status`, "utf8");
    p = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1] ?? 0);
  }
  throw new Error(`pid ${pid} on port ${port} was not started by this Playwright run (runner ${runner}); refusing to signal it`);
}

const leaderOf = async () => (await patroniCluster())?.members.find((m) => m.role === "leader")?.name;

test("the wall shows the real Patroni leader, Sentinel master and VRRP MASTER per instance, without polling", async ({ page, request }, testInfo) => {
  await labHealthy();
  const errors = collectConsoleErrors(page);
  const calls: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes("/api/trpc/")) calls.push(new URL(r.url()).pathname.replace("/api/trpc/", ""));
  });
  await page.setViewportSize({ width: 1920, height: 1080 });
  // The page's timers under our control: at the end, two minutes of them are run to catch any refetch loop.
  await page.clock.install();
  await page.goto("/wall");

  // Patroni asked directly; retried so a member changing state mid-read cannot flake it.
  await expect(async () => {
    const c = await patroniCluster();
    const leader = c?.members.find((m) => m.role === "leader");
    const sync = c?.members.find((m) => m.role === "sync_standby");
    expect(leader && sync, "Patroni names a leader and a sync standby").toBeTruthy();
    await expect(page.getByTestId(LEADER)).toHaveText(leader!.name, { timeout: 1000 });
    await expect(page.getByTestId(SYNC)).toHaveText(sync!.name, { timeout: 1000 });
    for (const m of c!.members.filter((x) => x.role === "replica")) {
      await expect(page.getByTestId(`wall-cluster-${PG_SCOPE}-replica-${m.name}`)).toBeVisible({ timeout: 1000 });
    }
  }).toPass({ timeout: 20_000 });

  await expect(async () => {
    const masters = [...new Set(Object.values(await sentinelMasters()).filter(Boolean))];
    expect(masters, "the sentinels agree").toHaveLength(1);
    await expect(page.getByTestId(`wall-sentinel-master-${REDIS_MASTER_NAME}`)).toHaveText(masters[0]!, { timeout: 1000 });
  }).toPass({ timeout: 20_000 });

  // The components' own word, not the state files the dashboard reads: keepalived's JSON dump for
  // each node's role, and a request to the VIP inside the lab's network for who holds it.
  await expect(async () => {
    for (const n of VRRP_NODES) {
      for (const i of (await keepalivedInstances(n.name)) ?? []) {
        await expect(page.getByTestId(`wall-vrrp-${vrrpId(i.instance)}-${n.name}`)).toContainText(i.state, { timeout: 1000 });
      }
    }
    for (const vi of VRRP_INSTANCES) {
      const holder = vipHolder(vi.vip);
      expect(holder, `the VIP ${vi.vip} answers`).toBeTruthy();
      await expect(page.getByTestId(`wall-vip-holder-${vrrpId(vi.name)}`)).toHaveText(holder!, { timeout: 1000 });
      await expect(page.getByTestId(`wall-vrrp-${vrrpId(vi.name)}-${holder}`)).toContainText("MASTER", { timeout: 1000 });
    }
  }).toPass({ timeout: 20_000 });

  // Every SLA component from the server's own snapshot has its tile, with the same status.
  const snap = ((await (await request.get("/api/trpc/overview.get")).json()) as { result: { data: { json: Snapshot } } }).result.data.json;
  expect(snap.components.length).toBeGreaterThan(0);
  for (const c of snap.components) await expect(page.getByTestId(`wall-component-${c.id}`)).toBeVisible();
  await expect(page.getByTestId("wall-overall")).toHaveAttribute("data-status", "HEALTHY", { timeout: 30_000 });
  for (const c of snap.components) await expect(page.getByTestId(`wall-component-${c.id}`)).toHaveAttribute("data-status", "UP");
  await expect(page.getByTestId("wall-data-age")).toHaveAttribute("data-state", "fresh");
  await expect(page.getByTestId("wall-data-age")).toContainText(/updated\s+\d+\s+s ago/);
  await expect(page.getByTestId("wall-market-data-age")).toBeVisible();
  await expect(page.getByTestId("wall-market-data-age-market-data")).toHaveText(/^\d+(\.\d)?$/);
  // Readable without colour: every status word comes with its icon.
  await expect(page.locator("#wall-overall-word")).toHaveText(/^●\s*HEALTHY$/);

  await expectNoScroll(page);
  await expectAllInView(page);
  // No top navigation on the wall.
  await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();

  // First paint came with the page; afterwards only the subscriptions (the live snapshot, the SLA figures): no query.
  await sleep(3000);
  const subscriptions = (c: string) => c.startsWith("overview.live") || c.startsWith("sla.wallLive");
  expect(calls.filter((c) => c.startsWith("overview.get")), "no overview.get from the browser (server-rendered first paint)").toEqual([]);
  expect(calls.filter((c) => c.startsWith("overview.live")), "one live subscription").toHaveLength(1);
  expect(calls.filter((c) => !subscriptions(c))).toEqual([]);
  await page.screenshot({ path: testInfo.outputPath("wall.png") });
  // The README's picture is refreshed on request only, so a test run leaves the tree clean.
  if (process.env.UPDATE_DOCS) await page.screenshot({ path: path.resolve("docs/wall.png") });

  // No polling loop either: run two minutes of the page's timers at once; still nothing but subscriptions.
  // (The browser clock is now ahead of the server's, so the data-age clock turns red: this comes last.)
  await page.clock.fastForward("02:00");
  await sleep(1500);
  expect(calls.filter((c) => !subscriptions(c)), "no query after two minutes of the page's timers").toEqual([]);
  expect(errors).toEqual([]);
});

test("at 3840×2160 the wall is the same layout at twice the size, and does not scroll", async ({ page }, testInfo) => {
  const errors = collectConsoleErrors(page);
  await page.setViewportSize({ width: 3840, height: 2160 });
  await page.goto("/wall");
  await expect(page.getByTestId(LEADER)).not.toBeEmpty();
  await expect(page.getByTestId("wall-data-age")).toHaveAttribute("data-state", "fresh");
  const rootPx = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
  expect(rootPx).toBeCloseTo(40, 0);
  const word = await page.getByTestId("wall-overall").locator("#wall-overall-word").evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(word).toBeGreaterThanOrEqual(120);
  await expectNoScroll(page);
  await expectAllInView(page);
  await page.screenshot({ path: testInfo.outputPath("wall-3840x2160.png") });
  expect(errors).toEqual([]);
});

test("kill the Patroni leader: the wall shows the suspicion within seconds, then the new leader", async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  await labHealthy();
  const errors = collectConsoleErrors(page);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto("/wall");
  const old = (await leaderOf())!;
  await expect(page.getByTestId(LEADER)).toHaveText(old);
  const db = page.getByTestId("wall-component-database");
  const oldRow = page.getByTestId(`wall-member-${PG_SCOPE}-${old}`);
  await expect(db).toHaveAttribute("data-status", "UP");

  try {
    await fault("kill", "leader");
    const t0 = Date.now();
    // Hysteresis may hold the confirmed status for a few probes; the wall shows the suspicion at once.
    await expect
      .poll(async () => (await db.getAttribute("data-status")) !== "UP" || (await db.getAttribute("data-suspect")) !== null, { timeout: 5_000, intervals: [100] })
      .toBe(true);
    const shownAfterMs = Date.now() - t0;
    await expect(oldRow).toContainText(/DOWN/, { timeout: 5_000 });
    await page.screenshot({ path: testInfo.outputPath("wall-leader-killed.png") });
    testInfo.annotations.push({ type: "fault to screen", description: `${shownAfterMs} ms from kill to the wall showing it` });
    console.log(`wall: leader ${old} killed, shown after ${shownAfterMs} ms`);

    const next = await waitFor("Patroni to elect a new leader", async () => (await patroniCluster())?.members.find((m) => m.role === "leader" && m.name !== old)?.name, 60_000, 250);
    await expect(page.getByTestId(LEADER)).toHaveText(next, { timeout: 15_000 });
    await page.screenshot({ path: testInfo.outputPath("wall-new-leader.png") });
  } finally {
    await fault("start", old);
    await labHealthy(150_000);
  }
  // The old leader is back as a standby; the wall agrees with Patroni again.
  await expect(async () => {
    const c = await patroniCluster();
    await expect(page.getByTestId(LEADER)).toHaveText(c!.members.find((m) => m.role === "leader")!.name, { timeout: 1000 });
    await expect(page.getByTestId(SYNC)).toHaveText(c!.members.find((m) => m.role === "sync_standby")!.name, { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  expect(errors).toEqual([]);
});

test("drain the VRRP MASTER: the wall shows its priority lowered, the MASTER role and the VIPs move to the other node", async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const errors = collectConsoleErrors(page);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto("/wall");
  // Who holds the VIP is asked of the network (a request to the VIP in the bridge namespace), not of the state files.
  const master = vipHolder(VRRP_INSTANCES[0].vip);
  expect(master, "the VIP answers").toBeDefined();
  const other = VRRP_NODES.find((n) => n.name !== master)!.name;
  for (const vi of VRRP_INSTANCES) await expect(page.getByTestId(`wall-vip-holder-${vrrpId(vi.name)}`)).toHaveText(vipHolder(vi.vip)!);

  drain(master!, true);
  try {
    const lowered = VRRP_PRIORITY[master as keyof typeof VRRP_PRIORITY] - VRRP_DRAIN_WEIGHT;
    for (const vi of VRRP_INSTANCES) {
      const id = vrrpId(vi.name);
      await expect(page.getByTestId(`wall-vrrp-${id}-${other}`)).toContainText("MASTER", { timeout: 20_000 });
      // The drained node's effective priority, lowered by the drain weight, beside its role.
      await expect(page.getByTestId(`wall-vrrp-${id}-${master}`)).toHaveText(new RegExp(`BACKUP\\s*${lowered}$`), { timeout: 10_000 });
      await expect(page.getByTestId(`wall-vip-holder-${id}`)).toHaveText(other, { timeout: 10_000 });
      await expect.poll(() => vipHolder(vi.vip), { message: `${vi.vip} answers from ${other}`, timeout: 10_000 }).toBe(other);
    }
    await page.screenshot({ path: testInfo.outputPath("wall-vrrp-drained.png") });
  } finally {
    drain(master!, false);
  }
  await waitFor(`the VIPs to answer from ${master} again`, () => VRRP_INSTANCES.every((vi) => vipHolder(vi.vip) === master), 30_000);
  for (const vi of VRRP_INSTANCES) await expect(page.getByTestId(`wall-vip-holder-${vrrpId(vi.name)}`)).toHaveText(master!, { timeout: 15_000 });
  expect(errors).toEqual([]);
});

test("freeze the dashboard server: the data-age clock turns amber, then red with the wall marked stale, and recovers by itself", async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const errors = collectConsoleErrors(page);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto("/wall");
  const age = page.getByTestId("wall-data-age");
  await expect(age).toHaveAttribute("data-state", "fresh");
  await expect(page.getByTestId("wall-stale-overlay")).toHaveCount(0);

  const pid = ownServerPid(PORT);
  process.kill(pid, "SIGSTOP");
  try {
    await expect(age).toHaveAttribute("data-state", "amber", { timeout: 8_000 });
    await expect(age).toHaveAttribute("data-state", "red", { timeout: 12_000 });
    await expect(page.getByTestId("wall-stale-overlay")).toContainText("DATA STALE");
    await expect(page.locator("[data-wall-root]")).toHaveAttribute("data-stale", "red");
    await page.screenshot({ path: testInfo.outputPath("wall-stale.png") });
  } finally {
    process.kill(pid, "SIGCONT");
  }
  // Same page, no reload: the feed resumes (or the watchdog reconnects) and the clock is fresh again.
  await expect(age).toHaveAttribute("data-state", "fresh", { timeout: 30_000 });
  await expect(page.getByTestId("wall-stale-overlay")).toHaveCount(0);
  expect(errors).toEqual([]);
});

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}

/** A second dashboard of our own (same build, its own store), in its own process group so it can be stopped whole. */
function startDashboard(port: number): ChildProcess {
  const child = spawn(process.execPath, [path.resolve("node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"], {
    env: {
      ...process.env,
      NEXT_DIST_DIR: process.env.NEXT_DIST_DIR ?? ".next-test",
      HA_CONFIG: process.env.HA_CONFIG ?? paths.config,
      HA_STORE_DIR: `${process.env.HA_STORE_DIR ?? ".data/e2e-store"}-restart`,
      NEXT_TELEMETRY_DISABLED: "1",
    },
    detached: true,
    stdio: "ignore",
  });
  return child;
}

async function stopDashboard(child: ChildProcess | undefined) {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  process.kill(-child.pid, "SIGTERM");
  const timeout = sleep(15_000).then(() => "timeout" as const);
  if ((await Promise.race([exited, timeout])) === "timeout") {
    process.kill(-child.pid, "SIGKILL");
    await exited;
  }
}

async function healthz(port: number): Promise<boolean> {
  try {
    const r = await fetch(`http://127.0.0.1:${port}/api/healthz`, { signal: AbortSignal.timeout(1000) });
    return r.ok;
  } catch {
    return false;
  }
}

test("restart the dashboard server: the wall goes stale, then recovers without a reload", async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  let port = PORT + 100;
  while (!(await portFree(port))) port += 1;
  const errors = collectConsoleErrors(page);
  let server: ChildProcess | undefined = startDashboard(port);
  try {
    await waitFor(`a second dashboard on ${port}`, () => healthz(port), 60_000, 250);
    // Its own store has its own sessions: sign in there too (cookies ignore the port, so this one replaces the viewer's).
    await signIn(page.request, "viewer", `http://127.0.0.1:${port}`);
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.goto(`http://127.0.0.1:${port}/wall`);
    const age = page.getByTestId("wall-data-age");
    await expect(age).toHaveAttribute("data-state", "fresh", { timeout: 20_000 });
    await expect(page.getByTestId(LEADER)).toHaveText((await leaderOf())!, { timeout: 20_000 });
    await page.evaluate(() => ((window as unknown as { wallMarker: string }).wallMarker = "same document"));

    await stopDashboard(server);
    server = undefined;
    await expect(age).toHaveAttribute("data-state", "red", { timeout: 15_000 });
    await expect(page.getByTestId("wall-stale-overlay")).toBeVisible();

    server = startDashboard(port);
    await expect(age).toHaveAttribute("data-state", "fresh", { timeout: 90_000 });
    await expect(page.getByTestId("wall-stale-overlay")).toHaveCount(0);
    await expect(page.getByTestId(LEADER)).toHaveText((await leaderOf())!, { timeout: 30_000 });
    expect(await page.evaluate(() => (window as unknown as { wallMarker?: string }).wallMarker), "recovered without a reload").toBe("same document");
    await page.screenshot({ path: testInfo.outputPath("wall-after-restart.png") });
  } finally {
    await stopDashboard(server);
  }
  // While the server was down the browser logged its refused reconnects; nothing else is allowed.
  expect(errors.filter((e) => !/ERR_CONNECTION_REFUSED|Failed to load resource/.test(e))).toEqual([]);
});

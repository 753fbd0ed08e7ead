import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import path from "node:path";
import { expect, test, type Browser } from "@playwright/test";
import { parse, stringify } from "yaml";
import { signIn } from "./auth-helpers";
import { collectConsoleErrors } from "./page-errors";
import { paths } from "./lab/topology";

/**
 * /alerts as the lab's admin: a test notification to a direct webhook receiver shows in that
 * receiver's delivery log. The receiver is this spec's own HTTP server on 127.0.0.1, so the spec
 * runs a second dashboard (same build, the lab's config plus an `alerting:` section of its own, its
 * own control store) beside the one playwright.config.ts starts.
 */

const PORT = Number(process.env.E2E_ALERTS_PORT ?? 3101);
const BASE = `http://127.0.0.1:${PORT}`;
const CONFIG = path.join(paths.root, "ha.config.alerts-e2e.yaml");
const STORE_DIR = path.resolve(".data", "e2e-alerts-store");
const SECRET = `whsec_${randomBytes(32).toString("base64")}`;
const SECRET_FILE = path.join(paths.secrets, "alerts-e2e-webhook-secret");

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

let sink: Server;
let sinkPort = 0;
const received: Received[] = [];
let dashboard: ChildProcess | null = null;
let dashboardLog = "";

async function startSink(): Promise<void> {
  sink = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(200, { "content-type": "text/plain" }).end("ok\n");
    });
  });
  await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", resolve));
  sinkPort = (sink.address() as { port: number }).port;
}

function writeConfig(): void {
  const lab = parse(readFileSync(paths.config, "utf8")) as Record<string, unknown>;
  writeFileSync(SECRET_FILE, `${SECRET}\n`, { mode: 0o600 });
  lab.alerting = {
    receivers: [
      { name: "e2e-hook", type: "webhook", url: `http://127.0.0.1:${sinkPort}/hook`, secrets: [{ file: path.relative(paths.root, SECRET_FILE) }], initialBackoffMs: 100, maxBackoffMs: 1000 },
      { name: "e2e-other", type: "webhook", url: `http://127.0.0.1:${sinkPort}/other`, format: "slack" },
    ],
    route: { receiver: "e2e-other", groupWaitMs: 0, groupIntervalMs: 1000, routes: [{ receiver: "e2e-hook", match: { severity: "critical" } }] },
  };
  // The secret files are referenced relative to the config: it lives beside the lab's own.
  writeFileSync(CONFIG, stringify(lab), { mode: 0o600 });
}

async function startDashboard(): Promise<void> {
  rmSync(STORE_DIR, { recursive: true, force: true });
  dashboard = spawn(process.execPath, ["scripts/serve.mjs", "-p", String(PORT), "-H", "127.0.0.1"], {
    env: { ...process.env, NEXT_DIST_DIR: process.env.NEXT_DIST_DIR ?? ".next-test", HA_CONFIG: CONFIG, HA_STORE_DIR: STORE_DIR, NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const keep = (b: Buffer) => (dashboardLog = (dashboardLog + b.toString("utf8")).slice(-20_000));
  dashboard.stdout!.on("data", keep);
  dashboard.stderr!.on("data", keep);
  await expect
    .poll(async () => (await fetch(`${BASE}/api/healthz`).catch(() => null))?.status ?? 0, { timeout: 120_000, intervals: [500], message: "the second dashboard answers /api/healthz" })
    .toBeGreaterThan(0);
}

async function stopDashboard(): Promise<void> {
  const p = dashboard;
  if (!p || p.exitCode !== null) return;
  const exited = new Promise((resolve) => p.once("exit", resolve));
  p.kill("SIGTERM");
  const t = setTimeout(() => p.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(t);
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  await startSink();
  writeConfig();
  await startDashboard();
});

test.afterAll(async () => {
  await stopDashboard();
  // The second dashboard's output, for when a step above failed.
  mkdirSync("test-results", { recursive: true });
  writeFileSync(path.resolve("test-results", "alerts-dashboard.log"), dashboardLog);
  await new Promise((resolve) => sink?.close(resolve));
  rmSync(CONFIG, { force: true });
  rmSync(SECRET_FILE, { force: true });
});

async function adminPage(browser: Browser) {
  const ctx = await browser.newContext({ baseURL: BASE, storageState: { cookies: [], origins: [] } });
  await signIn(ctx.request, "admin", BASE);
  return { ctx, page: await ctx.newPage() };
}

test("an admin sends a test notification to a receiver and it shows in that receiver's delivery log", async ({ browser }, testInfo) => {
  test.setTimeout(120_000);
  const { ctx, page } = await adminPage(browser);
  const errors = collectConsoleErrors(page);
  await page.goto("/alerts");
  await expect(page.getByRole("heading", { name: "Alerts", level: 1 })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Alerts" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByTestId("alerting-not-configured")).toHaveCount(0);

  const hook = page.locator('[data-testid="receiver"][data-receiver="e2e-hook"]');
  const other = page.locator('[data-testid="receiver"][data-receiver="e2e-other"]');
  await expect(hook).toBeVisible();
  // Where it sends, never how it signs.
  await expect(hook.getByTestId("receiver-url")).toHaveText(`http://127.0.0.1:${sinkPort}/hook`);
  await expect(hook).toContainText("signed (1 secret)");
  expect(await page.content()).not.toContain(SECRET.slice(6));

  await hook.getByTestId("send-test").click();
  const dialog = page.getByTestId("confirm-dialog");
  await expect(dialog).toContainText("Send a test notification to e2e-hook?");
  await dialog.getByLabel(/Reason/).fill("checking the e2e hook");
  await dialog.getByTestId("confirm-submit").click();
  await expect(dialog).toBeHidden();
  await expect(hook.getByTestId("send-test-queued")).toContainText(/#\d+/);

  // Firing now, going to e2e-hook only, with the link to this page.
  const row = page.locator('[data-testid="alert-row"][data-alertname="TestNotification"]');
  await expect(row).toContainText("e2e-hook");
  await expect(row).not.toContainText("e2e-other");
  await expect(row.getByTestId("alert-severity")).toHaveText(/info/);
  await expect(row.getByRole("link", { name: "TestNotification" })).toHaveAttribute("href", "/alerts");

  // Sent, signed, and recorded as delivered in e2e-hook's log; e2e-other got nothing.
  const delivered = hook.locator('[data-testid="delivery-row"][data-state="delivered"]').filter({ hasText: "TestNotification" });
  await expect(delivered).toHaveCount(1, { timeout: 30_000 });
  const webhookId = await delivered.getAttribute("data-webhook-id");
  const mine = received.filter((r) => r.headers["webhook-id"] === webhookId);
  expect(mine).toHaveLength(1);
  expect(String(mine[0]!.headers["webhook-signature"])).toMatch(/^v1,/);
  expect(mine[0]!.body).toContain("TestNotification");
  await expect(other.locator(`[data-testid="delivery-row"]`).filter({ hasText: "TestNotification" })).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath("alerts.png"), fullPage: true });

  // Audited with the reason.
  const audit = await ctx.request.get(`/api/trpc/actions.audit?input=${encodeURIComponent(JSON.stringify({ json: { limit: 50 } }))}`);
  const rows = ((await audit.json()) as { result: { data: { json: { event: string; targetId: string | null; reason: string | null; actorName: string }[] } } }).result.data.json;
  expect(rows.find((r) => r.event === "alert_test")).toMatchObject({ targetId: "e2e-hook", reason: "checking the e2e hook", actorName: "Ada Admin" });
  expect(errors).toEqual([]);
  await ctx.close();
});

test("a viewer sees the alerts and the delivery logs, but no test button, and the server refuses the test", async ({ browser }) => {
  const ctx = await browser.newContext({ baseURL: BASE, storageState: { cookies: [], origins: [] } });
  await signIn(ctx.request, "viewer", BASE);
  const page = await ctx.newPage();
  await page.goto("/alerts");
  await expect(page.locator('[data-testid="receiver"][data-receiver="e2e-hook"]')).toBeVisible();
  await expect(page.getByTestId("send-test")).toHaveCount(0);
  const res = await ctx.request.post(`${BASE}/api/trpc/alerts.sendTest`, { headers: { origin: BASE, "content-type": "application/json" }, data: JSON.stringify({ json: { receiver: "e2e-hook" } }) });
  expect(res.status()).toBe(403);
  expect(await res.text()).toContain("This needs the admin role");
  await ctx.close();
});

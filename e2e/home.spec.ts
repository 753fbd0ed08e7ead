import { expect, test, type APIRequestContext } from "@playwright/test";
import type { Snapshot } from "@/lib/snapshot";
import { HOST, PG_NODES } from "./lab/topology";
import { collectConsoleErrors } from "./page-errors";

/** The leader as Patroni itself reports it, asked directly rather than through the dashboard. */
async function patroniLeader(): Promise<string> {
  const problems: string[] = [];
  for (const node of PG_NODES) {
    try {
      const res = await fetch(`http://${HOST}:${node.rest}/cluster`, { signal: AbortSignal.timeout(2_000) });
      const body = (await res.json()) as { members: { name: string; role: string }[] };
      const leader = body.members.find((m) => m.role === "leader");
      if (leader) return leader.name;
      problems.push(`${node.name}: no leader in the answer`);
    } catch (e) {
      problems.push(`${node.name}: ${(e as Error).message}`);
    }
  }
  throw new Error(`no Patroni node named a leader: ${problems.join("; ")}`);
}

/** The snapshot the home page reads, asked over the API as the same viewer. */
async function snapshot(request: APIRequestContext): Promise<Snapshot> {
  const res = await request.get(`/api/trpc/overview.get?input=${encodeURIComponent(JSON.stringify({ json: {} }))}`);
  expect(res.status()).toBe(200);
  return (await res.json()).result.data.json as Snapshot;
}

test("the home shows the real Patroni leader, from the live snapshot", async ({ page }) => {
  const consoleErrors = collectConsoleErrors(page);
  const leader = await patroniLeader();
  const s = await snapshot(page.request);
  expect(s.clusters.length).toBeGreaterThan(0);
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(s.title);
  await expect(page.getByTestId(`home-leader-${s.clusters[0]!.id}`)).toHaveText(leader);
  expect(consoleErrors).toEqual([]);
});

test("the home shows the overall verdict, every configured component and a link into every view", async ({ page }, testInfo) => {
  const consoleErrors = collectConsoleErrors(page);
  const s = await snapshot(page.request);
  expect(s.components.length).toBeGreaterThanOrEqual(5);
  await page.goto("/");

  const overall = page.getByTestId("home-overall");
  await expect(overall).toHaveAttribute("data-status", /^(HEALTHY|DEGRADED|CRITICAL)$/);
  await expect(overall).toContainText((await overall.getAttribute("data-status"))!);
  await expect(page.getByTestId("home-components-up")).toHaveText(new RegExp(`^\\d+/${s.components.length}$`));

  for (const c of s.components) {
    const row = page.getByTestId(`home-component-${c.id}`);
    await expect(row).toContainText(c.name);
    await expect(row).toHaveAttribute("data-status", /^(UP|DOWN|DEGRADED|STALE|NO_DATA)$/);
  }
  // The database component links to its cluster page.
  const db = s.components.find((c) => c.unitKeys.some((k) => k.startsWith("patroni:")))!;
  await expect(page.getByTestId(`home-component-${db.id}`).getByRole("link", { name: `Cluster ${s.clusters[0]!.id}` })).toBeVisible();

  const views = page.getByTestId("home-views");
  for (const href of ["/wall", `/clusters/${s.clusters[0]!.id}`, "/vrrp", "/redis", "/haproxy", "/sla", "/approvals"]) {
    await expect(views.locator(`a[href="${href}"]`)).toHaveCount(1);
  }
  await expect(page.getByTestId("home-actions")).toHaveAttribute("data-count", /^\d+$/);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Overview" })).toHaveAttribute("aria-current", "page");

  await page.screenshot({ path: testInfo.outputPath("home.png"), fullPage: true });
  // The README's picture is refreshed on request only, so a test run leaves the tree clean.
  if (process.env.UPDATE_DOCS) await page.screenshot({ path: "docs/home.png", fullPage: true });

  await views.locator('a[href="/vrrp"]').click();
  await expect(page).toHaveURL(/\/vrrp$/);
  expect(consoleErrors).toEqual([]);
});

test("/api/healthz answers for the dashboard itself", async ({ request }) => {
  const res = await request.get("/api/healthz");
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { status: string; uptimeSeconds: number; version: string };
  expect(body.status).toBe("ok");
  expect(typeof body.uptimeSeconds).toBe("number");
  expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
});

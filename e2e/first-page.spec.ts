import { expect, test } from "@playwright/test";
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

test("the first page shows the real Patroni leader", async ({ page }, testInfo) => {
  const consoleErrors = collectConsoleErrors(page);

  const leader = await patroniLeader();
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByTestId("patroni-leader")).toHaveText(leader);
  await expect(page.getByTestId(`patroni-member-${leader}`)).toContainText("Leader");

  await page.screenshot({ path: testInfo.outputPath("first-page.png"), fullPage: true });
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

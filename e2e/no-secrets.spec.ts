import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type Response } from "@playwright/test";
import { parse } from "yaml";
import { BASE_URL, VIEWER_STATE, signIn, trpcMutation } from "./auth-helpers";
import { DEMO_USERS, demoPassword } from "./lab/demo-users";
import { HAPROXY_STATS_AUTH, PATRONI_REST_AUTH, paths, PG_AUTH, REDIS_AUTH, SECRET_FILES, SENTINEL_AUTH } from "./lab/topology";

/**
 * No secret reaches the browser: as the demo viewer, crawl every page the navigation reaches and
 * record every response of this origin (HTML, RSC payloads, scripts, tRPC answers, a stretch of the
 * live SSE feed), then look in all of it for every secret the lab's dashboard config references.
 */

const CONFIG = path.resolve(process.env.HA_CONFIG ?? paths.config);

/** Every value the config points at ({ file } and { env }), every DSN and URL with a user, and the lab's passwords. */
function labSecrets(): string[] {
  const out = new Set<string>();
  const walk = (v: unknown) => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (typeof v === "string") {
      if (/^(postgres|postgresql|redis):\/\/[^/]*@/.test(v)) out.add(v);
      return;
    }
    if (typeof v !== "object" || v === null) return;
    const o = v as Record<string, unknown>;
    if (typeof o.file === "string" && Object.keys(o).length === 1) out.add(readFileSync(path.resolve(path.dirname(CONFIG), o.file), "utf8").trim());
    else if (typeof o.env === "string" && Object.keys(o).length === 1) out.add(process.env[o.env] ?? "");
    else Object.values(o).forEach(walk);
  };
  walk(parse(readFileSync(CONFIG, "utf8")));
  // The monitored components' own passwords, including those the dashboard never holds (Redis's
  // administrator and replication users, the Sentinels' requirepass).
  for (const u of [...Object.values(PG_AUTH), ...Object.values(REDIS_AUTH), ...Object.values(SENTINEL_AUTH), PATRONI_REST_AUTH, HAPROXY_STATS_AUTH]) out.add(u.password);
  for (const u of DEMO_USERS) out.add(demoPassword(u.username));
  return [...out].filter((s) => s.length >= 6);
}

test("no DSN, password or token reaches a viewer's browser", async ({ page, browser }) => {
  test.setTimeout(180_000);
  const secrets = labSecrets();
  expect(secrets.length, "the lab config references secrets").toBeGreaterThanOrEqual(6);
  // Every secret the lab hands the dashboard (PostgreSQL, Patroni's REST API, Redis, Sentinel, HAProxy stats) is looked for.
  expect(secrets).toEqual(expect.arrayContaining(Object.values(SECRET_FILES)));

  // A live kiosk token exists meanwhile (made by an admin); the viewer must never see it.
  const admin = await browser.newContext({ baseURL: BASE_URL, storageState: { cookies: [], origins: [] } });
  await signIn(admin.request, "admin");
  const made = await trpcMutation(admin.request, "admin.kiosk.create", { label: "no-secrets crawl" });
  expect(made.status()).toBe(200);
  const kiosk = (await made.json()).result.data.json as { token: { id: string }; secret: string };
  secrets.push(kiosk.secret);
  const viewerCookie = JSON.parse(readFileSync(VIEWER_STATE, "utf8")).cookies.find((c: { name: string }) => c.name === "hacr.session_token")?.value as string;
  expect(viewerCookie).toBeTruthy();
  secrets.push(viewerCookie, viewerCookie.split(".")[0]!);

  const bodies: { url: string; text: string }[] = [];
  const pending: Promise<void>[] = [];
  page.on("response", (res: Response) => {
    if (!res.url().startsWith(BASE_URL)) return;
    if ((res.headers()["content-type"] ?? "").includes("text/event-stream")) return;
    pending.push(
      res
        .text()
        .then((text) => void bodies.push({ url: res.url(), text }))
        .catch(() => {}),
    );
  });

  // Every page the navigation reaches, breadth first.
  const seen = new Set<string>();
  const queue = ["/", "/wall", "/admin", "/login"];
  while (queue.length > 0 && seen.size < 40) {
    const p = queue.shift()!;
    if (seen.has(p)) continue;
    seen.add(p);
    if (p.startsWith("/api/")) {
      // Downloads (CSV reports and the like): fetched, not navigated to.
      const res = await page.request.get(p);
      bodies.push({ url: p, text: await res.text() });
      continue;
    }
    await page.goto(p);
    await page.waitForLoadState("networkidle").catch(() => {});
    const hrefs = await page.locator("a[href^='/']").evaluateAll((as) => as.map((a) => a.getAttribute("href")!));
    for (const h of hrefs) if (!seen.has(h.split("#")[0]!)) queue.push(h.split("#")[0]!);
  }
  expect([...seen]).toEqual(expect.arrayContaining(["/", "/wall", "/vrrp", "/redis", "/haproxy"]));

  // The tRPC reads a viewer may make, asked directly.
  for (const q of ["overview.get", "session.me", "transition.list", "transition.events"]) {
    const res = await page.request.get(`/api/trpc/${q}?input=${encodeURIComponent(JSON.stringify({ json: {} }))}`);
    expect(res.status(), q).toBe(200);
    bodies.push({ url: q, text: await res.text() });
  }

  // Three seconds of the live feed.
  const ac = new AbortController();
  const live = await fetch(`${BASE_URL}/api/trpc/overview.live`, { headers: { cookie: `hacr.session_token=${viewerCookie}` }, signal: ac.signal });
  expect(live.status).toBe(200);
  let sse = "";
  const reader = live.body!.getReader();
  const stop = setTimeout(() => ac.abort(), 3_000);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      sse += new TextDecoder().decode(value);
    }
  } catch {
    // aborted after three seconds, as planned
  } finally {
    clearTimeout(stop);
  }
  expect(sse).toContain("labcluster");
  bodies.push({ url: "overview.live (SSE)", text: sse });

  await Promise.all(pending);
  expect(bodies.length).toBeGreaterThan(20);
  const leaks = bodies.flatMap((b) => secrets.filter((s) => b.text.includes(s)).map((s) => `${b.url} contains ${s.slice(0, 4)}…`));
  expect(leaks).toEqual([]);

  await trpcMutation(admin.request, "admin.kiosk.revoke", { id: kiosk.token.id });
  await admin.close();
});

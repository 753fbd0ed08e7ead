/**
 * Fault to screen (npm run bench:fault): in the lab, SIGKILL the Patroni leader (the whole node, as
 * `npm run lab -- kill <node>` does) and time how long until the NOC wall, open in Chromium against a
 * production `next start` polling every second, shows the cluster as not healthy: the database tile
 * suspected ("DOWN 1/3") or no longer UP, or the cluster panel no longer UP. Then start the node again,
 * wait until Patroni has a leader, a sync standby and two streaming replicas and the wall is all UP,
 * and repeat. Prints p50 / p95 / max over the trials; the target is p95 ≤ 2 s.
 *
 *   npm run bench:fault -- [--trials 10] [--port 3151] [--dist .next-bench] [--build]
 * The npm script holds /tmp/hacr-lab.lock for the whole run (no other suite injects faults meanwhile),
 * so the kill and restart call the lab driver's own functions rather than a nested `npm run lab`.
 * Needs the lab up (`npm run lab -- up`); the wall is opened signed in as the lab's demo viewer. Rebuilds
 * --dist when the app's sources changed since its build (--build forces it). Writes the figures, with the
 * commit and build measured, to bench/results/fault-<date>.json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium, type Page } from "@playwright/test";
import { healthyPatroni, patroniCluster } from "../e2e/lab/inspect";
import { fault } from "../e2e/lab/lab";
import { waitFor } from "../e2e/lab/proc";
import { PG_SCOPE } from "../e2e/lab/topology";
import { APP_DIR, CHROMIUM_ARGS, ROOT, defaultConfig, ensureBuild, median, percentile, signInViewer, sleep, startNext } from "./next-server";
import { provenance, provenanceHeader, resultsFile } from "./provenance";

const { values: flags } = parseArgs({
  options: {
    trials: { type: "string", default: "10" },
    port: { type: "string", default: "3151" },
    dist: { type: "string", default: ".next-bench" },
    build: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (flags.help) {
  console.log("npm run bench:fault -- [--trials 10] [--port 3151] [--dist .next-bench] [--build]");
  process.exit(0);
}

const TILE = "wall-component-database";
const CLUSTER = `wall-cluster-${PG_SCOPE}`;
/** A trial that shows nothing within this long counts as a miss (and fails the target). */
const SHOW_TIMEOUT_MS = 20_000;

async function labHealthy(timeoutMs = 180_000): Promise<string> {
  return waitFor(
    "a healthy Patroni cluster (leader, sync standby, 2 streaming replicas)",
    async () => (await healthyPatroni())?.leader.name,
    timeoutMs,
    250,
  );
}

/** The wall agrees the cluster is healthy: the leader Patroni names, the tile UP with no suspicion, fresh data. */
async function wallHealthy(page: Page, leader: string, timeoutMs = 60_000) {
  await waitFor(
    "the wall to show the cluster healthy",
    () =>
      page.evaluate(
        ({ tile, cluster, leader }) => {
          const t = document.querySelector<HTMLElement>(`[data-testid="${tile}"]`);
          const c = document.querySelector<HTMLElement>(`[data-testid="${cluster}"]`);
          const l = document.querySelector<HTMLElement>(`[data-testid="${cluster}-leader"]`);
          const age = document.querySelector<HTMLElement>('[data-testid="wall-data-age"]');
          return t?.dataset.status === "UP" && !t.hasAttribute("data-suspect") && c?.dataset.status === "UP" && l?.textContent === leader && age?.dataset.state === "fresh";
        },
        { tile: TILE, cluster: CLUSTER, leader },
      ),
    timeoutMs,
    200,
  );
}

/**
 * In the page: note the first moment the wall shows the database as not healthy, and the frame after
 * it (when it is on screen). Also the first moment the tile's confirmed status leaves UP.
 */
async function armWatcher(page: Page) {
  await page.evaluate(
    ({ tile, cluster }) => {
      const w = window as unknown as { faultSeen: { shown?: number; frame?: number; confirmed?: number; how?: string } };
      w.faultSeen = {};
      const check = () => {
        const t = document.querySelector<HTMLElement>(`[data-testid="${tile}"]`);
        const c = document.querySelector<HTMLElement>(`[data-testid="${cluster}"]`);
        const now = Date.now();
        const how =
          t && t.dataset.status !== "UP" ? `tile ${t.dataset.status}` : t?.hasAttribute("data-suspect") ? `tile suspect ${t.dataset.suspect}` : c && c.dataset.status !== "UP" ? `cluster ${c.dataset.status}` : null;
        if (how && w.faultSeen.shown === undefined) {
          w.faultSeen.shown = now;
          w.faultSeen.how = how;
          requestAnimationFrame(() => (w.faultSeen.frame = Date.now()));
        }
        if (t && t.dataset.status !== "UP" && w.faultSeen.confirmed === undefined) w.faultSeen.confirmed = now;
        if (w.faultSeen.frame !== undefined && w.faultSeen.confirmed !== undefined) observer.disconnect();
      };
      const observer = new MutationObserver(check);
      observer.observe(document.body, { subtree: true, attributes: true, childList: true, characterData: true });
    },
    { tile: TILE, cluster: CLUSTER },
  );
}

interface Trial {
  leader: string;
  shownMs: number | null;
  onScreenMs: number | null;
  confirmedMs: number | null;
  how: string | null;
  newLeaderMs: number | null;
}

const fmt = (x: number | null) => (x === null || !Number.isFinite(x) ? "—" : `${(x / 1000).toFixed(2)} s`);

async function main() {
  mkdirSync(path.join(ROOT, "bench/results"), { recursive: true });
  const measured = provenance("bench:fault", APP_DIR, ensureBuild(flags.dist, flags.build));
  console.log(provenanceHeader(measured));
  await labHealthy(30_000).catch(() => {
    throw new Error("the lab is not healthy: run `npm run lab -- up` (and wait for the sync standby)");
  });
  const server = await startNext({ port: Number(flags.port), distDir: flags.dist, config: defaultConfig(), storeDir: path.join(ROOT, ".data/bench-fault-store") });
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
  const trials: Trial[] = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    // tsx compiles with esbuild's keepNames; its __name helper must exist where page.evaluate runs.
    await context.addInitScript("window.__name = (f) => f;");
    await signInViewer(context.request, server.url);
    const page = await context.newPage();
    await page.goto(`${server.url}/wall`);

    for (let i = 0; i < Number(flags.trials); i++) {
      const leader = await labHealthy();
      await wallHealthy(page, leader);
      // Let the hysteresis of the previous recovery settle, so every trial starts from the same state.
      await sleep(3000);
      await wallHealthy(page, leader);
      await armWatcher(page);

      const t0 = Date.now();
      await fault("kill", leader);
      try {
        let seen: { shown?: number; frame?: number; confirmed?: number; how?: string } = {};
        const deadline = t0 + SHOW_TIMEOUT_MS;
        while (Date.now() < deadline) {
          seen = await page.evaluate(() => (window as unknown as { faultSeen: typeof seen }).faultSeen);
          if (seen.frame !== undefined && seen.confirmed !== undefined) break;
          await sleep(50);
        }
        const newLeader = await waitFor("a new leader", async () => (await patroniCluster())?.members.find((m) => m.role === "leader" && m.name !== leader)?.name, 60_000, 250).catch(() => null);
        const trial: Trial = {
          leader,
          shownMs: seen.shown !== undefined ? seen.shown - t0 : null,
          onScreenMs: seen.frame !== undefined ? seen.frame - t0 : null,
          confirmedMs: seen.confirmed !== undefined ? seen.confirmed - t0 : null,
          how: seen.how ?? null,
          newLeaderMs: newLeader ? Date.now() - t0 : null,
        };
        trials.push(trial);
        console.log(
          `trial ${i + 1}: killed ${leader}; wall shows it after ${fmt(trial.onScreenMs)} (${trial.how ?? "not shown"}), confirmed ${fmt(trial.confirmedMs)}; new leader ${newLeader ?? "none"} after ${fmt(trial.newLeaderMs)}`,
        );
      } finally {
        await fault("start", leader);
      }
    }
    await labHealthy();
  } finally {
    await browser.close();
    await server.stop();
  }

  const shown = trials.map((t) => t.onScreenMs ?? Infinity);
  const confirmed = trials.map((t) => t.confirmedMs ?? Infinity);
  console.log(`\nPatroni leader SIGKILL → the wall in Chromium (1 s polling), ${trials.length} trials:`);
  console.log(`  shown (suspected or not UP, on screen): p50 ${fmt(median(shown))}, p95 ${fmt(percentile(shown, 95))}, max ${fmt(Math.max(...shown))}  (target p95 ≤ 2 s)`);
  console.log(`  confirmed (tile no longer UP):          p50 ${fmt(median(confirmed))}, p95 ${fmt(percentile(confirmed, 95))}, max ${fmt(Math.max(...confirmed))}`);
  console.log(`  misses (nothing shown in ${SHOW_TIMEOUT_MS / 1000} s): ${trials.filter((t) => t.onScreenMs === null).length}; load average ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}`);
  const out = resultsFile(ROOT, "fault");
  writeFileSync(out, JSON.stringify({ provenance: measured, flags, trials }, null, 2));
  console.log(`figures: ${path.relative(ROOT, out)}`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e instanceof Error ? e.stack : e);
    process.exit(1);
  },
);

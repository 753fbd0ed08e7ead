/**
 * Fault to notification (npm run bench:alerts): in the lab, freeze the Redis replica (SIGSTOP, as
 * `npm run lab -- stop redis-replica` does), and time from the dashboard's confirmed transition of the
 * cache component (its `confirmedAt`, read back through the transition API) to
 *   - the direct webhook received: the sink's own arrival time of the signed notification, and
 *   - the alert visible in Alertmanager's API (GET /api/v2/alerts, polled every 50 ms from the fault on);
 * then resume it, wait for the recovery and the alert's resolution, and repeat. Prints p50 / p95 / max over
 * the faults; the target is p95 ≤ 1 s to the direct webhook, beyond the route's group_wait (the lab's is 0).
 *
 *   npm run bench:alerts -- [--faults 20] [--port 3181] [--dist .next-bench] [--build] [--keep-up]
 * The npm script brings the build up to date first (--build-only, outside the lock), then holds
 * /tmp/hacr-lab.lock for the run; the lab is brought up if it is not, and then taken down again unless
 * --keep-up. The dashboard is a production build of this checkout on its own port and a fresh PGlite store,
 * against the lab's config (e2e/lab/dashboard-config.ts: alerting to the lab's Alertmanager and the sink).
 * Writes the figures, with the commit and build measured, to bench/results/alerts-<date>.json.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { amAlerts, sinkMark, sinkRecords, sinkReset, webhookBody } from "../e2e/lab/alerting";
import { COMPONENT_ALERT, confirmedAt, signIn, transitionsOf, trpcQuery, type Session, type TransitionRow } from "../e2e/lab/dashboard-http";
import { startDashboard } from "../e2e/lab/dashboard-process";
import * as lab from "../e2e/lab/lab";
import { sleep, waitFor } from "../e2e/lab/proc";
import { WEBHOOK_SINK } from "../e2e/lab/topology";
import type { Snapshot } from "../lib/snapshot";
import { APP_DIR, ROOT, ensureBuild, median, percentile } from "./next-server";
import { provenance, provenanceHeader, resultsFile } from "./provenance";

const { values: flags } = parseArgs({
  options: {
    faults: { type: "string", default: "20" },
    port: { type: "string", default: "3181" },
    dist: { type: "string", default: ".next-bench" },
    build: { type: "boolean", default: false },
    "build-only": { type: "boolean", default: false },
    "keep-up": { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (flags.help) {
  console.log("npm run bench:alerts -- [--faults 20] [--port 3181] [--dist .next-bench] [--build] [--keep-up]");
  process.exit(0);
}
if (flags["build-only"]) {
  ensureBuild(flags.dist, flags.build);
  process.exit(0);
}

const COMPONENT = "cache";
const TARGET = "redis-replica";
/** A fault whose notification does not arrive within this long counts as a miss. */
const NOTIFY_TIMEOUT_MS = 20_000;

interface Trial {
  node: string;
  transition: string;
  /** Fault → confirmed transition (hysteresis and probes: not part of the delivery path). */
  confirmMs: number;
  /** Confirmed transition → the direct webhook at the sink; null: never arrived. */
  directMs: number | null;
  /** Confirmed transition → first seen in Alertmanager's API; null: never listed. */
  alertmanagerMs: number | null;
}

const fmt = (x: number | null) => (x === null || !Number.isFinite(x) ? "—" : `${Math.round(x)} ms`);

async function componentUp(s: Session, timeoutMs = 90_000): Promise<void> {
  await waitFor(`the dashboard to show ${COMPONENT} UP`, async () => (await trpcQuery<Snapshot>(s, "overview.get", undefined)).components.find((c) => c.id === COMPONENT)?.status === "UP", timeoutMs, 250);
}

async function trial(s: Session, i: number): Promise<Trial> {
  await componentUp(s);
  await waitFor(`no ${COMPONENT} alert left in Alertmanager`, async () => (await amAlerts({ component: COMPONENT })).length === 0, 30_000, 250);
  // Let the previous recovery settle, so every fault starts from the same state.
  await sleep(2000);
  const mark = await sinkMark();
  const t0 = Date.now();
  const node = (await lab.fault("stop", TARGET)).match(/to (\S+)/)?.[1] ?? TARGET;
  const seenInAm = new Map<string, number>();
  let watching = true;
  const watcher = (async () => {
    while (watching) {
      for (const a of await amAlerts({ component: COMPONENT }).catch(() => [])) if (!seenInAm.has(a.labels.alertname!)) seenInAm.set(a.labels.alertname!, Date.now());
      await sleep(50);
    }
  })();
  let change: TransitionRow | undefined;
  try {
    change = await waitFor(`a confirmed change of ${COMPONENT}`, async () => (await transitionsOf(s, `component:${COMPONENT}`, t0 - 1000)).find((t) => t.fromStatus === "UP" && t.toStatus !== "UP"), 30_000, 100);
    const alertname = COMPONENT_ALERT[change.toStatus]!;
    const confirmed = confirmedAt(change);
    const direct = await waitFor(
      "the direct webhook",
      async () => (await sinkRecords({ path: WEBHOOK_SINK.paths.direct, after: mark })).find((r) => r.code === 200 && webhookBody(r)?.alerts.some((a) => a.status === "firing" && a.labels.alertname === alertname && a.labels.component === COMPONENT)),
      NOTIFY_TIMEOUT_MS,
      50,
    ).catch(() => undefined);
    await waitFor("the alert in Alertmanager", () => seenInAm.get(alertname), NOTIFY_TIMEOUT_MS, 50).catch(() => undefined);
    const am = seenInAm.get(alertname);
    const t: Trial = { node, transition: `${change.fromStatus}→${change.toStatus}`, confirmMs: confirmed - t0, directMs: direct ? direct.at - confirmed : null, alertmanagerMs: am !== undefined ? am - confirmed : null };
    console.log(`fault ${i + 1}: froze ${node}; ${COMPONENT} ${t.transition} confirmed after ${fmt(t.confirmMs)}; direct webhook +${fmt(t.directMs)}, in Alertmanager +${fmt(t.alertmanagerMs)}`);
    return t;
  } finally {
    watching = false;
    await watcher;
    await lab.fault("resume", node);
  }
}

async function main() {
  mkdirSync(path.join(ROOT, "bench/results"), { recursive: true });
  const measured = provenance("bench:alerts", APP_DIR, ensureBuild(flags.dist, flags.build));
  console.log(provenanceHeader(measured));
  const labWasUp = lab.anyLabProcess();
  if (!labWasUp) await lab.up();
  await sinkReset();
  const storeDir = path.join(ROOT, ".data/bench-alerts-store");
  rmSync(storeDir, { recursive: true, force: true });
  rmSync(`${storeDir}.lock`, { force: true });
  const dash = await startDashboard({ port: Number(flags.port), distDir: flags.dist, storeDir });
  const trials: Trial[] = [];
  try {
    const s = await signIn(dash.url, "viewer");
    for (let i = 0; i < Number(flags.faults); i++) trials.push(await trial(s, i));
  } finally {
    await dash.stop();
    if (!labWasUp && !flags["keep-up"]) await lab.down();
  }

  const direct = trials.map((t) => t.directMs ?? Infinity);
  const am = trials.map((t) => t.alertmanagerMs ?? Infinity);
  const confirm = trials.map((t) => t.confirmMs);
  const line = (xs: number[]) => `p50 ${fmt(median(xs))}, p95 ${fmt(percentile(xs, 95))}, max ${fmt(Math.max(...xs))}`;
  console.log(`\nRedis replica frozen → notification, ${trials.length} faults (route group_wait 0 ms):`);
  console.log(`  confirmed transition → direct webhook received: ${line(direct)}  (target p95 ≤ 1 s)`);
  console.log(`  confirmed transition → in Alertmanager's API:   ${line(am)}`);
  console.log(`  (fault → confirmed transition:                  ${line(confirm)})`);
  console.log(`  misses: direct ${trials.filter((t) => t.directMs === null).length}, Alertmanager ${trials.filter((t) => t.alertmanagerMs === null).length}; load average ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}`);
  const out = resultsFile(ROOT, "alerts");
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

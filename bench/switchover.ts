/**
 * npm run bench:switchover — five guarded Patroni switchovers in the lab through the services, each
 * timed from the approval to the first write that the NEW primary acknowledges through HAProxy's
 * read-write frontend (a write loop runs throughout). Prints each run, then median and max.
 * Target: median ≤ 5 s. Needs the lab (`npm run lab -- up`); takes the lab lock (see package.json).
 */
import { randomUUID } from "node:crypto";
import path from "node:path";
import { approve, execute, request } from "../server/actions";
import { PEOPLE, TEST_PASSWORD, labConfig, labWriteLoop, pgPortOf, restoreLab, testApproverProof, waitHealthyCluster } from "../server/actions/testing/lab";
import { openStore } from "../server/store/store";
import { provenance, provenanceHeader } from "./provenance";

const RUNS = Number(process.env.RUNS ?? 5);

interface Run {
  from: string;
  to: string;
  /** Approval → first write acknowledged by the new primary through HAProxy. */
  writesMs: number;
  /** Approval → the workflow recorded the outcome (verified: replicas streaming, HAProxy on the new leader). */
  verifiedMs: number;
  /** Longest pause between two acknowledged writes around the switchover. */
  gapMs: number;
  lost: number;
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function main(): Promise<void> {
  console.log(provenanceHeader(provenance("bench:switchover", path.resolve(import.meta.dirname, ".."))));
  const store = await openStore({ memory: true });
  const deps = { store, config: labConfig(), now: Date.now, instanceId: "bench", keepWatchingMs: 0, proveApprover: testApproverProof };
  const runs: Run[] = [];
  try {
    await restoreLab();
    for (let i = 1; i <= RUNS; i++) {
      const h = await waitHealthyCluster();
      // The lab's cooldown since the last switchover (5 s) must have passed before the request.
      await new Promise((r) => setTimeout(r, 5_500));
      const writes = labWriteLoop(`hacr_bench_writes`);
      await writes.start();
      await new Promise((r) => setTimeout(r, 1_000));
      const req = await request(deps, PEOPLE.alice, {
        kind: "patroni_switchover", targetId: "labcluster", node: h.sync, expectedLeader: h.leader, reason: `bench:switchover run ${i}`, clientRequestId: randomUUID(),
      });
      if (req.action.state !== "requested") throw new Error(`run ${i}: request ${req.action.state}: ${req.action.outcome}`);
      const t0 = Date.now();
      await approve(deps, PEOPLE.bob, { id: req.action.id, password: TEST_PASSWORD });
      const done = await execute(deps, req.action.id);
      const verifiedMs = Date.now() - t0;
      // Keep writing until the new primary has acknowledged one (verification usually ends after that).
      for (let w = 0; w < 100 && !writes.firstAckOn(pgPortOf(h.sync), t0); w++) await new Promise((r) => setTimeout(r, 100));
      await writes.stop();
      if (done.state !== "succeeded") throw new Error(`run ${i}: ${done.state}: ${done.outcome}`);
      const first = writes.firstAckOn(pgPortOf(h.sync), t0);
      if (!first) throw new Error(`run ${i}: no write reached ${h.sync} through HAProxy`);
      const window = writes.acks.filter((a) => a.at >= t0 - 1_000);
      let gapMs = 0;
      for (let k = 1; k < window.length; k++) gapMs = Math.max(gapMs, window[k]!.at - window[k - 1]!.at);
      const run = { from: h.leader, to: h.sync, writesMs: first.at - t0, verifiedMs, gapMs, lost: (await writes.lost()).length };
      runs.push(run);
      console.log(
        `run ${i}: ${run.from} → ${run.to}  writes on the new primary after ${fmt(run.writesMs)}  verified after ${fmt(run.verifiedMs)}  longest write gap ${fmt(run.gapMs)}  lost acknowledged writes ${run.lost}`,
      );
    }
  } finally {
    await restoreLab().catch((e: unknown) => console.error("lab not healthy after the bench:", e));
    await store.close();
  }
  const w = runs.map((r) => r.writesMs);
  const v = runs.map((r) => r.verifiedMs);
  console.log(`\napproval → new primary accepting writes through HAProxy (${runs.length} switchovers): median ${fmt(median(w))}, max ${fmt(Math.max(...w))} (target: median ≤ 5 s)`);
  console.log(`approval → outcome verified (replicas streaming, HAProxy on the new leader): median ${fmt(median(v))}, max ${fmt(Math.max(...v))}`);
  console.log(`acknowledged writes lost: ${runs.reduce((n, r) => n + r.lost, 0)}`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);

/**
 * How long one health evaluation takes for N units (npm run bench:evaluate). The evaluator runs up to
 * ten times a second in the server, so this must stay far below 100 ms at the sizes we support.
 */
import path from "node:path";
import { evaluate, initialHealthState } from "../server/health/evaluate";
import type { HealthConfig, Observation } from "../server/health/types";
import { SEED_COMPONENTS } from "../server/config/schema";
import { provenance, provenanceHeader } from "./provenance";

console.log(provenanceHeader(provenance("bench:evaluate", path.resolve(import.meta.dirname, ".."))));

const T0 = Date.UTC(2026, 0, 1);
for (const n of [100, 600, 2000, 5000]) {
  const http = Array.from({ length: n }, (_, i) => ({ id: `app${i}`, component: "trading-engine", url: `http://127.0.0.1:${10000 + (i % 50000)}/health`, expectStatus: 200 }));
  const config = {
    defaults: { intervalMs: 1000, timeoutMs: 800, rise: 2, fall: 3 },
    components: SEED_COMPONENTS,
    clusters: [], sentinels: [], redis: [], haproxy: [], vrrp: [], tcp: [], marketData: [],
    http,
  } as unknown as HealthConfig;
  const obs = (at: number): Observation[] =>
    http.map((h, i) => ({ unitKey: `http:${h.id}`, kind: "http", targetId: h.id, component: h.component, at, result: i % 10 === 0 ? { ok: false, latencyMs: 800, error: "deadline" } : { ok: true, latencyMs: 1, data: { statusCode: 200, body: null } } }));
  let state = evaluate(config, obs(T0), initialHealthState(), T0).state;
  const times: number[] = [];
  for (let i = 1; i <= 30; i++) {
    const o = obs(T0 + i * 1000);
    const t = performance.now();
    state = evaluate(config, o, state, T0 + i * 1000).state;
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(`${String(n).padStart(5)} units: evaluate p50 ${times[15]!.toFixed(1)} ms, max ${times[29]!.toFixed(1)} ms`);
}

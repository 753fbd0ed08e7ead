/**
 * Fault scenarios against the lab, judged against the components' own tools: shared by the CI lab test
 * (seed-rules.lab.test.ts) and the chaos runner. The seed's rules as ready-made scenarios: seed-rules.ts.
 *
 *   type Source = () => Snapshot | Promise<Snapshot>
 *       What the dashboard says now: an in-process Runtime's `current()`, or a fetch of its API.
 *   interface Scenario { name, inject(), undo(), suspected(s), confirmed(s), recovered(s), oracle(), healedOracle?(), hold?() }
 *       `suspected`/`confirmed`/`recovered` read a Snapshot; `oracle()` reads the fault from the component's
 *       own interface (never what a collector reads), as { faulty, detail }; `healedOracle()` (default `oracle`)
 *       says when the undo has taken effect, for faults whose end is not simply the fault's absence.
 *   runScenario(source, scenario, { everyMs = 250, faultTimeoutMs, recoverTimeoutMs }): ScenarioResult
 *       inject → poll the source and the oracle every `everyMs`, each on its own loop, until the fault is
 *       confirmed and the oracle has seen it → `hold` (optional) → undo → poll until recovered and the oracle
 *       says healthy. Times are epoch ms; the oracle is read again at the moment of confirmation and of
 *       recovery, and `agree` says both readings matched the verdict. Fails (throws) on a timeout, saying which.
 *   waitLabHealthy(source?, timeoutMs): the lab's own readiness checks (`lab up`'s) pass and, given a source,
 *       the dashboard says HEALTHY with no finding: the next scenario starts from a clean lab.
 *   Oracles: replayLag(node), redisMemory(node) (chaos-faults), marketDataAgeSeconds(), haproxyShowStat(),
 *       etcdLeader(), writablePrimary(), redisRoles() (chaos-faults).
 */
import { connect } from "node:net";
import type { Snapshot } from "@/lib/snapshot";
import { redisMasterPort, pgQuery, redisGet } from "./inspect";
import { waitFor } from "./proc";
import { waitReady } from "./readiness";
import { ETCD_MEMBERS, HAPROXY, HOST, PG_NODES, PG_SCOPE, paths } from "./topology";

export type Source = () => Snapshot | Promise<Snapshot>;

export interface OracleReading {
  faulty: boolean;
  detail: string;
}

export interface Scenario {
  name: string;
  inject(): Promise<unknown>;
  undo(): Promise<unknown>;
  suspected(s: Snapshot): boolean;
  confirmed(s: Snapshot): boolean;
  recovered(s: Snapshot): boolean;
  oracle(): Promise<OracleReading>;
  /** After undo: faulty until the component is whole again (default: `oracle`). */
  healedOracle?(): Promise<OracleReading>;
  /** Between confirmation and undo (e.g. watch a failover end the outage); gets the source. */
  hold?(source: Source): Promise<unknown>;
}

export interface ScenarioResult {
  name: string;
  injectedAt: number;
  /** First time the oracle saw the fault. */
  faultAt: number;
  suspectedAt: number;
  confirmedAt: number;
  atConfirm: { snapshot: Snapshot; oracle: OracleReading };
  undoneAt: number;
  /** First time the oracle saw the component healthy again. */
  healedAt: number;
  recoveredAt: number;
  atRecovery: { snapshot: Snapshot; oracle: OracleReading };
  agree: boolean;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function safeOracle(sc: Scenario, healed = false): Promise<OracleReading> {
  try {
    return await (healed && sc.healedOracle ? sc.healedOracle() : sc.oracle());
  } catch (e) {
    return { faulty: false, detail: `oracle failed: ${(e as Error).message}` };
  }
}

/** Poll `source` and the oracle side by side until both `done` conditions hold, or throw after timeoutMs. */
async function watch(
  what: string,
  source: Source,
  sc: Scenario,
  onSnapshot: (s: Snapshot, at: number) => boolean,
  onOracle: (r: OracleReading, at: number) => boolean,
  timeoutMs: number,
  everyMs: number,
  healed: boolean,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last: { s?: Snapshot; r?: OracleReading } = {};
  const loop = async (step: () => Promise<boolean>) => {
    while (Date.now() < until) {
      const t0 = Date.now();
      if (await step()) return true;
      await sleep(Math.max(0, everyMs - (Date.now() - t0)));
    }
    return false;
  };
  const [a, b] = await Promise.all([
    loop(async () => {
      const s = await source();
      last = { ...last, s };
      return onSnapshot(s, Date.now());
    }),
    loop(async () => {
      const r = await safeOracle(sc, healed);
      last = { ...last, r };
      return onOracle(r, Date.now());
    }),
  ]);
  if (!a || !b) {
    const reasons = last.s ? `${last.s.overall.status}: ${last.s.overall.reasons.join("; ")}` : "no snapshot";
    throw new Error(`${sc.name}: timed out after ${timeoutMs} ms waiting for ${what} (${!a ? "the dashboard" : "the oracle"}); dashboard: ${reasons}; oracle: ${last.r?.detail ?? "none"}`);
  }
}

export async function runScenario(
  source: Source,
  sc: Scenario,
  opts: { everyMs?: number; faultTimeoutMs?: number; recoverTimeoutMs?: number } = {},
): Promise<ScenarioResult> {
  const everyMs = opts.everyMs ?? 250;
  const injectedAt = Date.now();
  await sc.inject();
  let faultAt = 0;
  let suspectedAt = 0;
  let confirmedAt = 0;
  let confirmedSnapshot: Snapshot | undefined;
  await watch(
    "the fault",
    source,
    sc,
    (s, at) => {
      if (!suspectedAt && (sc.suspected(s) || sc.confirmed(s))) suspectedAt = at;
      if (!confirmedAt && sc.confirmed(s)) {
        confirmedAt = at;
        confirmedSnapshot = s;
      }
      return confirmedAt > 0;
    },
    (r, at) => {
      if (!faultAt && r.faulty) faultAt = at;
      return faultAt > 0;
    },
    opts.faultTimeoutMs ?? 30_000,
    everyMs,
    false,
  );
  const atConfirm = { snapshot: confirmedSnapshot!, oracle: await safeOracle(sc) };
  await sc.hold?.(source);
  const undoneAt = Date.now();
  await sc.undo();
  let healedAt = 0;
  let recoveredAt = 0;
  let recoveredSnapshot: Snapshot | undefined;
  await watch(
    "recovery",
    source,
    sc,
    (s, at) => {
      if (!recoveredAt && sc.recovered(s)) {
        recoveredAt = at;
        recoveredSnapshot = s;
      }
      return recoveredAt > 0;
    },
    (r, at) => {
      if (!healedAt && !r.faulty) healedAt = at;
      return healedAt > 0;
    },
    opts.recoverTimeoutMs ?? 60_000,
    everyMs,
    true,
  );
  const atRecovery = { snapshot: recoveredSnapshot!, oracle: await safeOracle(sc, true) };
  return {
    name: sc.name,
    injectedAt,
    faultAt,
    suspectedAt,
    confirmedAt,
    atConfirm,
    undoneAt,
    healedAt,
    recoveredAt,
    atRecovery,
    agree: atConfirm.oracle.faulty && !atRecovery.oracle.faulty,
  };
}

/** A one-line summary of a result, times relative to the oracle's view (what the chaos runner prints). */
export function describeResult(r: ScenarioResult): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  return (
    `${r.name}: fault seen by the oracle ${s(r.faultAt - r.injectedAt)} after injection; suspected ${s(r.suspectedAt - r.faultAt)}, ` +
    `confirmed ${s(r.confirmedAt - r.faultAt)} after it; recovered ${s(r.recoveredAt - r.healedAt)} after the oracle saw it healthy ` +
    `(${s(r.healedAt - r.undoneAt)} after undo); oracle agrees: ${r.agree ? "yes" : "no"} (${r.atConfirm.oracle.detail} / ${r.atRecovery.oracle.detail})`
  );
}

/** The lab's readiness checks pass and, with a source, the dashboard says HEALTHY without findings. */
export async function waitLabHealthy(source?: Source, timeoutMs = 90_000): Promise<void> {
  const t0 = Date.now();
  await waitReady(t0, timeoutMs, () => {});
  if (source) {
    await waitFor(
      "the dashboard to say HEALTHY with no finding",
      async () => {
        const s = await source();
        return s.overall.status === "HEALTHY" && s.findings.length === 0;
      },
      Math.max(10_000, timeoutMs - (Date.now() - t0)),
      250,
    );
  }
}

// ---- Oracles: each component's own interface, never a file or endpoint a collector reads ----

/** On a standby: seconds since the last replayed commit, and whether received WAL waits to be replayed. */
export async function replayLag(node: string): Promise<{ seconds: number | null; behind: boolean; paused: boolean }> {
  const port = PG_NODES.find((n) => n.name === node)?.pg;
  if (!port) throw new Error(`unknown PostgreSQL node ${node}`);
  const [row] = await pgQuery<{ s: number | null; behind: boolean | null; paused: boolean }>(
    port,
    "select extract(epoch from now() - pg_last_xact_replay_timestamp())::float8 as s, pg_last_wal_receive_lsn() > pg_last_wal_replay_lsn() as behind, pg_is_wal_replay_paused() as paused",
  );
  return { seconds: row?.s ?? null, behind: row?.behind ?? false, paused: row?.paused ?? false };
}

/**
 * Age of the market data on the master Sentinel names, read with the administrator's credentials: the
 * fresher of last_market_update (whole seconds) and its _ms twin, so the age is exact to the millisecond.
 */
export async function marketDataAgeSeconds(): Promise<number | undefined> {
  const port = await redisMasterPort();
  if (!port) return undefined;
  const [secs, ms] = await Promise.all([redisGet(port, "last_market_update"), redisGet(port, "last_market_update_ms")]);
  const last = Math.max(secs ? Number(secs) * 1000 : 0, ms ? Number(ms) : 0);
  return last > 0 ? (Date.now() - last) / 1000 : undefined;
}

export interface StatRow {
  pxname: string;
  svname: string;
  status: string;
  /** The latest health check's result: L4OK, L7OK, L4CON (refused), L4TOUT, L7RSP ... */
  check_status: string;
  [k: string]: string;
}

/** `show stat` on HAProxy's admin socket (not the stats page the collector reads). */
export function haproxyShowStat(timeoutMs = 2000): Promise<StatRow[]> {
  return new Promise((resolve, reject) => {
    const sock = connect(paths.haproxySocket);
    let buf = "";
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error("HAProxy admin socket: no answer"));
    }, timeoutMs);
    sock.on("connect", () => sock.write("show stat\n"));
    sock.on("data", (d) => (buf += d.toString()));
    sock.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    sock.on("end", () => {
      clearTimeout(timer);
      const [header, ...lines] = buf.trim().split("\n");
      const cols = (header ?? "").replace(/^# /, "").split(",");
      resolve(lines.map((l) => Object.fromEntries(l.split(",").map((v, i) => [cols[i] ?? String(i), v])) as StatRow));
    });
  });
}

/** The Patroni leader key, straight from etcd (what `patronictl list` reads), or null when there is none. */
export async function etcdLeader(): Promise<string | null> {
  const key = Buffer.from(`/service/${PG_SCOPE}/leader`).toString("base64");
  let lastError: unknown;
  // Any member will do: a linearizable read goes through the raft leader whichever member is asked.
  for (const m of ETCD_MEMBERS) {
    try {
      const r = await fetch(`http://${HOST}:${m.client}/v3/kv/range`, { method: "POST", body: JSON.stringify({ key }), signal: AbortSignal.timeout(1000) });
      const body = (await r.json()) as { kvs?: { value: string }[] };
      const v = body.kvs?.[0]?.value;
      return v ? Buffer.from(v, "base64").toString("utf8") : null;
    } catch (e) {
      lastError = e;
    }
  }
  throw lastError;
}

/** Whether HAProxy's read-write port leads to a PostgreSQL that takes writes. */
export async function writablePrimary(): Promise<{ ok: boolean; detail: string }> {
  try {
    const [row] = await pgQuery<{ port: number; rec: boolean }>(HAPROXY.rw, "select inet_server_port() as port, pg_is_in_recovery() as rec");
    return row && !row.rec ? { ok: true, detail: `rw port reaches a primary on ${row.port}` } : { ok: false, detail: `rw port reaches a standby on ${row?.port}` };
  } catch (e) {
    return { ok: false, detail: `rw port: ${(e as Error).message}` };
  }
}

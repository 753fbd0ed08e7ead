/**
 * The chaos runner's arithmetic, pure: does a snapshot show the expected verdict, when did the dashboard
 * and the oracles each see the fault and the recovery, do they agree within the allowed polls, and the
 * table. No I/O and no clock: every time comes in with the polls.
 */
import type { Overall } from "../../lib/health";
import type { Snapshot } from "../../lib/snapshot";
import type { Status } from "../../lib/status";
import { percentile } from "../next-server";

/** The verdict a scenario expects: every listed component in one of its statuses, the overall, confirmed findings by id prefix. */
export interface Expect {
  components?: Record<string, readonly Status[]>;
  overall?: readonly Overall[];
  /** Id prefixes of findings that must be present and CRITICAL (confirmed), e.g. "orphan-primary:". */
  findings?: readonly string[];
  /** Words one of the component's reasons must contain (what the verdict says, not only its colour). */
  says?: { component: string; text: string };
}

export type SnapshotView = Pick<Snapshot, "overall" | "components" | "findings">;

/** Why `snap` is not the expected verdict; empty when it is. */
export function verdictMisses(snap: SnapshotView, e: Expect): string[] {
  const miss: string[] = [];
  for (const [id, allowed] of Object.entries(e.components ?? {})) {
    const c = snap.components.find((x) => x.id === id);
    if (!c) miss.push(`no component ${id}`);
    else if (!allowed.includes(c.status)) miss.push(`${id} ${c.status}, expected ${allowed.join("/")}`);
  }
  if (e.overall && !e.overall.includes(snap.overall.status)) miss.push(`overall ${snap.overall.status}, expected ${e.overall.join("/")}`);
  for (const prefix of e.findings ?? []) {
    if (!snap.findings.some((f) => f.id.startsWith(prefix) && f.severity === "CRITICAL")) miss.push(`no confirmed finding ${prefix}*`);
  }
  if (e.says) {
    const c = snap.components.find((x) => x.id === e.says!.component);
    if (!c?.reasons.some((r) => r.toLowerCase().includes(e.says!.text.toLowerCase()))) miss.push(`${e.says.component} does not say "${e.says.text}"`);
  }
  return miss;
}

/** All clear on the dashboard: HEALTHY, nothing suspected, no finding, every monitored component UP. */
export function dashboardHealthy(snap: SnapshotView): boolean {
  return (
    snap.overall.status === "HEALTHY" &&
    snap.findings.length === 0 &&
    snap.components.every((c) => (c.status === "UP" || c.status === "NO_DATA") && c.suspect === null)
  );
}

/** The dashboard shows anything at all: not HEALTHY, a suspicion, a finding (even unconfirmed). */
export function dashboardDeviates(snap: SnapshotView): boolean {
  return snap.overall.status !== "HEALTHY" || snap.findings.length > 0 || snap.components.some((c) => c.suspect !== null || !(c.status === "UP" || c.status === "NO_DATA"));
}

/** One tick: the dashboard and the oracles read at the same moment. */
export interface Poll {
  at: number;
  /** Overview API latency; null when it failed. */
  latencyMs: number | null;
  /** The dashboard answered, and per phase whether it shows that phase's expected verdict. */
  dash: { ok: boolean; healthy: boolean; deviates: boolean; phases: boolean[] };
  /** Per phase whether the oracles say the world is in that phase's faulty state; and whether all is well. */
  world: { healthy: boolean; phases: boolean[] };
}

export interface PhaseSpec {
  label: string;
  /** What the oracle read (for the table's "on what"). */
  oracle: string;
  /** A phase the world may skip (e.g. a failover that comes before the fault is visible). */
  optional?: boolean;
}

export interface PhaseResult {
  label: string;
  oracle: string;
  /** ms after injection; null when the oracles never saw it. */
  oracleFrom: number | null;
  oracleTo: number | null;
  confirmed: number | null;
  suspected: number | null;
  /** Polls (dashboard intervals) from the oracles seeing it to the dashboard confirming it; negative when the dashboard was first. */
  delayPolls: number | null;
  /** Polls inside the phase, after the grace, that showed the expected verdict / all of them. */
  held: [number, number];
  agrees: boolean;
  why: string;
}

export interface Row {
  suspectedMs: number | null;
  confirmedMs: number | null;
  phases: PhaseResult[];
  undoMs: number;
  /**
   * When the first phase's verdict ended after it was confirmed: the service back (a failover done, or
   * the undo taken effect), which is what the DR document's recovery times mean; null if never confirmed.
   */
  restoredMs: number | null;
  oracleHealthyMs: number | null;
  recoveredMs: number | null;
  recoveryAgrees: boolean;
  recoveryWhy: string;
  apiP99Ms: number;
  apiP50Ms: number;
  apiFailed: number;
  apiOk: boolean;
  pass: boolean;
}

export interface AnalyseOptions {
  injectAt: number;
  undoAt: number;
  /** The dashboard's poll interval: "within 3 polls" is 3 of these. */
  intervalMs: number;
  /**
   * The dashboard's probe deadline: a probe of a hung component fails only when it runs out, so the third
   * poll after a freeze ends up to one deadline after it started.
   */
  deadlineMs: number;
  /** The runner's own tick; both sides are sampled at it, so it is added once to the allowance. */
  tickMs: number;
  phases: PhaseSpec[];
  polls?: number;
  apiLimitMs?: number;
}

/** The first contiguous run of `flags` true at or after index `from`: [start, end) indexes, end = length when it lasts. */
export function firstRun(flags: boolean[], from = 0): [number, number] | null {
  const s = flags.findIndex((f, i) => i >= from && f);
  if (s < 0) return null;
  const e = flags.findIndex((f, i) => i > s && !f);
  return [s, e < 0 ? flags.length : e];
}

/** The index from which `flags` stays true to the end (the last transition to true), at or after `from`. */
export function settledFrom(flags: boolean[], from = 0): number | null {
  if (flags.length === 0 || !flags[flags.length - 1]) return null;
  let i = flags.length - 1;
  while (i > from && flags[i - 1]) i--;
  return Math.max(i, from);
}

/** p99 of the API latencies; a failed request counts as infinitely slow. */
export function apiP99(latencies: (number | null)[]): number {
  return percentile(
    latencies.map((l) => l ?? Infinity),
    99,
  );
}

export function analyse(polls: Poll[], o: AnalyseOptions): Row {
  const ps = [...polls].sort((a, b) => a.at - b.at);
  const rel = (i: number | null | undefined) => (i === null || i === undefined || i < 0 || i >= ps.length ? null : ps[i]!.at - o.injectAt);
  // "Within 3 polls": by the end of the third poll, which ends at the latest one deadline after it starts.
  const grace = (o.polls ?? 3) * o.intervalMs + o.deadlineMs + o.tickMs;
  const first = Math.max(0, ps.findIndex((p) => p.at >= o.injectAt));
  const deviates = ps.map((p) => p.dash.ok && p.dash.deviates);

  const phases: PhaseResult[] = o.phases.map((spec, k) => {
    const faulty = ps.map((p) => p.world.phases[k] ?? false);
    const shows = ps.map((p) => p.dash.ok && (p.dash.phases[k] ?? false));
    const run = firstRun(faulty, first);
    const base = { label: spec.label, oracle: spec.oracle, suspected: null, confirmed: null, delayPolls: null, held: [0, 0] as [number, number] };
    if (!run) {
      return { ...base, oracleFrom: null, oracleTo: null, agrees: !!spec.optional, why: spec.optional ? "not seen (optional)" : "the oracles never saw this state" };
    }
    const [s, e] = run;
    const startAt = ps[s]!.at;
    const endAt = e < ps.length ? ps[e]!.at : Infinity;
    // The dashboard may be first (a hung read only fails at its deadline): look from `grace` before the oracles.
    const from = Math.max(first, ps.findIndex((p) => p.at >= startAt - grace));
    const until = (t: number) => ps.findIndex((p) => p.at > t);
    const limit = endAt === Infinity ? ps.length : until(endAt + grace) < 0 ? ps.length : until(endAt + grace);
    const conf = shows.findIndex((v, i) => v && i >= from && i < limit);
    const susp = deviates.findIndex((v, i) => v && i >= first && i < limit);
    // Inside the phase after the grace; the dashboard may move on up to one of its polls before the oracles
    // see the next state (Patroni promotes before HAProxy's check routes writes to the new leader).
    const inside = ps.map((p, i) => i).filter((i) => i >= s && i < e && ps[i]!.at >= startAt + grace && ps[i]!.at < endAt - o.intervalMs);
    const held: [number, number] = [inside.filter((i) => shows[i]).length, inside.length];
    const confirmedAt = conf >= 0 ? ps[conf]!.at : null;
    const delay = confirmedAt === null ? null : (confirmedAt - startAt) / o.intervalMs;
    const short = endAt - startAt < grace;
    let agrees: boolean;
    let why: string;
    if (confirmedAt !== null && confirmedAt - startAt <= grace) {
      agrees = held[0] === held[1];
      why = agrees ? `confirmed ${fmtPolls(delay)} after the oracles` : `confirmed, then lost it for ${held[1] - held[0]} of ${held[1]} ticks`;
    } else if (short && susp >= 0) {
      agrees = true;
      why = `lasted ${((endAt - startAt) / 1000).toFixed(1)} s (< 3 polls): suspected only`;
    } else {
      agrees = false;
      why = confirmedAt === null ? (susp >= 0 ? "suspected, never confirmed" : "never shown") : `confirmed ${fmtPolls(delay)} after the oracles (> ${o.polls ?? 3})`;
    }
    return { ...base, oracleFrom: rel(s), oracleTo: e < ps.length ? rel(e) : null, confirmed: rel(conf), suspected: rel(susp), delayPolls: delay, held, agrees, why };
  });

  const afterUndo = Math.max(0, ps.findIndex((p) => p.at >= o.undoAt));
  const wh = settledFrom(
    ps.map((p) => p.world.healthy),
    afterUndo,
  );
  const dh = settledFrom(
    ps.map((p) => p.dash.ok && p.dash.healthy),
    afterUndo,
  );
  let recoveryAgrees = false;
  let recoveryWhy: string;
  if (wh === null) recoveryWhy = "the oracles never saw the lab healthy again";
  else if (dh === null) recoveryWhy = "the dashboard never showed all clear again";
  else {
    const d = (ps[dh]!.at - ps[wh]!.at) / o.intervalMs;
    recoveryAgrees = Math.abs(ps[dh]!.at - ps[wh]!.at) <= grace;
    recoveryWhy = `all clear ${d >= 0 ? `${fmtPolls(d)} after` : `${fmtPolls(-d)} before`} the oracles`;
  }
  const lastIdx = dh ?? ps.length - 1;
  const during = ps.filter((p, i) => i >= first && i <= lastIdx).map((p) => p.latencyMs);
  const p99 = apiP99(during);
  const apiOk = p99 < (o.apiLimitMs ?? 200);
  const firstPhase = phases[0];
  const confIdx = firstPhase?.confirmed == null ? -1 : ps.findIndex((p) => p.at - o.injectAt === firstPhase.confirmed);
  const restoredIdx = confIdx < 0 ? -1 : ps.findIndex((p, i) => i > confIdx && p.dash.ok && !p.dash.phases[0]);
  return {
    suspectedMs: rel(deviates.findIndex((v, i) => v && i >= first)),
    confirmedMs: firstPhase?.confirmed ?? null,
    phases,
    undoMs: o.undoAt - o.injectAt,
    restoredMs: rel(restoredIdx),
    oracleHealthyMs: rel(wh),
    recoveredMs: rel(dh),
    recoveryAgrees,
    recoveryWhy,
    apiP99Ms: p99,
    apiP50Ms: percentile(
      during.map((l) => l ?? Infinity),
      50,
    ),
    apiFailed: during.filter((l) => l === null).length,
    apiOk,
    pass: phases.every((p) => p.agrees) && recoveryAgrees && apiOk,
  };
}

const fmtPolls = (p: number | null) => (p === null ? "—" : `${p.toFixed(1)} polls`);
export const fmtS = (ms: number | null) => (ms === null || !Number.isFinite(ms) ? "—" : `${(ms / 1000).toFixed(1)} s`);
const fmtMs = (ms: number) => (Number.isFinite(ms) ? `${Math.round(ms)} ms` : "failed");

export interface TableRow {
  id: string;
  title: string;
  row?: Row;
  skipped?: string;
  error?: string;
  /** Something the runner had to do or saw that is not the dashboard's doing (printed, does not fail the row). */
  note?: string;
}

/** The oracle agreement cell: yes/no and on what, phase by phase. */
export function agreementCell(r: Row): string {
  const phases = r.phases.map((p) => `${p.agrees ? "yes" : "NO"}: ${p.label} (${p.oracle}), ${p.why}`);
  return [...phases, `${r.recoveryAgrees ? "yes" : "NO"}: recovery, ${r.recoveryWhy}`].join("; ");
}

/** A Markdown table, one row per scenario. */
export function markdownTable(rows: TableRow[]): string {
  const head = "| scenario | first suspected | confirmed | oracle agreement | recovered (undo at) | API p99 during the fault | pass |\n| --- | --- | --- | --- | --- | --- | --- |";
  const body = rows.map((t) => {
    const name = `${t.id}: ${t.title}`;
    if (t.skipped) return `| ${name} | — | — | skipped: ${t.skipped} | — | — | skip |`;
    if (!t.row) return `| ${name} | — | — | error: ${t.error ?? "no data"} | — | — | FAIL |`;
    const r = t.row;
    const agreement = [agreementCell(r), t.error ? `error: ${t.error}` : "", t.note ? `note: ${t.note}` : ""].filter(Boolean).join("; ");
    return `| ${name} | ${fmtS(r.suspectedMs)} | ${fmtS(r.confirmedMs)} | ${agreement} | ${fmtS(r.recoveredMs)} (${fmtS(r.undoMs)}) | ${fmtMs(r.apiP99Ms)} (p50 ${fmtMs(r.apiP50Ms)})${r.apiFailed ? `, ${r.apiFailed} failed` : ""} | ${r.pass && !t.error ? "pass" : "FAIL"} |`;
  });
  return [head, ...body].join("\n");
}

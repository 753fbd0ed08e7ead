import { RTO_TARGETS, type FailureMode } from "@/lib/rto";

/**
 * Which of the DR document's failure modes an incident was, from what failed while it lasted. Pure:
 * the evidence is gathered by the caller (stored unit transitions, findings, other components). The
 * rules, first match wins (see README.md, "Failure modes"):
 *
 * | mode | evidence |
 * | --- | --- |
 * | data-centre | every monitored component (at least two) was DOWN during it, or every probed host (at least two) went silent |
 * | network-partition | a split-brain kind of finding (two VRRP masters, a duplicate VIP, the VIP answered by another node, sentinels disagree, two primaries, two Redis masters) about the component was confirmed during it |
 * | database | the component is a database (Patroni/PostgreSQL units), or the DCS (etcd) failed during it |
 * | server-hardware | a failed unit's host went silent: every unit probing that host failed with no answer (deadline or unreachable) |
 * | software-crash | a unit failed while its host answered other probes: refused (process gone), no answer (process hung) or an unhealthy answer |
 * | null (unclassified) | no unit of the component failed during it |
 */

/** How a probe failed, from its stored reason (the collectors' own wording, see collectors/util.ts). */
export type ProbeErrorKind = "refused" | "no-answer" | "unreachable" | "unhealthy";

export function errorKindOf(reason: string | null): ProbeErrorKind {
  const r = (reason ?? "").toLowerCase();
  if (/refused|connection reset|closed while/.test(r)) return "refused";
  if (/unreachable|no route|host name (not found|lookup failed)/.test(r)) return "unreachable";
  if (/deadline|timed out|timeout|no answer/.test(r)) return "no-answer";
  return "unhealthy";
}

export interface UnitEvidence {
  key: string;
  kind: string;
  targetId: string;
  component: string;
  /** Host name or address the unit probes; null when it probes no host (a state file). */
  host: string | null;
  /** The reason of the unit's failure during the incident (it was confirmed not UP); null: it stayed UP. */
  failure: string | null;
}

export interface ClassifyInput {
  componentId: string;
  /** Every monitored unit of the system, failed or not. */
  units: readonly UnitEvidence[];
  /** Ids (`kind:subject`) of findings confirmed CRITICAL during the incident. */
  findings: readonly string[];
  /** Monitored components, and those DOWN at some point during the incident (this one included). */
  componentsMonitored: readonly string[];
  componentsDown: readonly string[];
}

export interface Classification {
  mode: FailureMode | null;
  /** Plain words: why this mode. */
  evidence: string;
}

// Two holders of one role or address: split brain, whatever started it (a partition, or a keepalived
// killed as MASTER that left its VIP configured).
const PARTITION_FINDINGS = ["split-brain", "duplicate-vip", "vip-answer", "sentinels-disagree", "multiple-primaries", "redis-masters"];
const DATABASE_KINDS = new Set(["patroni", "postgres"]);
const DCS_KINDS = new Set(["etcd"]);
const silent = (u: UnitEvidence) => u.failure !== null && ["no-answer", "unreachable"].includes(errorKindOf(u.failure));

export function classifyIncident(input: ClassifyInput): Classification {
  const { componentId, units } = input;
  const mine = units.filter((u) => u.component === componentId);
  const failed = mine.filter((u) => u.failure !== null);
  const hosts = new Map<string, UnitEvidence[]>();
  for (const u of units) if (u.host !== null) hosts.set(u.host, [...(hosts.get(u.host) ?? []), u]);
  const hostSilent = (h: string) => (hosts.get(h) ?? []).every(silent);
  const because = (mode: FailureMode, evidence: string): Classification => ({ mode, evidence: `${RTO_TARGETS[mode].label}: ${evidence}` });

  const monitored = new Set(input.componentsMonitored);
  const down = new Set(input.componentsDown.filter((c) => monitored.has(c)));
  if (monitored.size >= 2 && down.size === monitored.size) return because("data-centre", `all ${monitored.size} monitored components were DOWN at once`);
  if (hosts.size >= 2 && [...hosts.keys()].every(hostSilent)) return because("data-centre", `every probed host (${hosts.size}) stopped answering`);

  const targets = new Set([componentId, ...mine.map((u) => u.targetId), ...mine.map((u) => u.key)]);
  const split = input.findings.find((f) => {
    const [kind, subject = ""] = f.split(/:(.*)/s);
    return PARTITION_FINDINGS.includes(kind!) && [...targets].some((t) => subject === t || subject.startsWith(`${t}/`));
  });
  if (split) return because("network-partition", `finding ${split} was confirmed while it lasted`);

  const dcs = units.find((u) => DCS_KINDS.has(u.kind) && u.failure !== null);
  if (dcs) return because("database", `the DCS ${dcs.targetId} failed (${dcs.failure})`);
  if (mine.some((u) => DATABASE_KINDS.has(u.kind))) {
    const first = failed[0];
    return because("database", first ? `${first.key} failed (${first.failure})` : "the database cluster was down");
  }

  const gone = failed.find((u) => u.host !== null && silent(u) && hostSilent(u.host));
  if (gone) return because("server-hardware", `every probe of host ${gone.host} went unanswered (${hosts.get(gone.host!)!.length} units)`);

  const crashed = failed.find((u) => errorKindOf(u.failure) === "refused") ?? failed[0];
  if (crashed) {
    const kind = errorKindOf(crashed.failure);
    const what = kind === "refused" ? "process gone (connection refused)" : kind === "unhealthy" ? "process unhealthy" : "process hung (no answer)";
    const alive = crashed.host !== null ? ` while host ${crashed.host} answered other probes` : "";
    return because("software-crash", `${crashed.key}: ${what}${alive}`);
  }
  return { mode: null, evidence: "no unit of the component was recorded failing while it lasted" };
}

/** The host a probe target talks to, from its URL, DSN, REST URL or host:port address; null if none or several. */
export function hostOfTarget(target: unknown): string | null {
  if (!target || typeof target !== "object") return null;
  const t = target as Record<string, unknown>;
  // One node of a cluster (a PostgreSQL unit): that node's host, not the cluster's.
  if (t.node && typeof t.node === "object") return hostOfTarget(t.node);
  for (const field of ["url", "dsn", "rest", "statsUrl", "address", "host"]) {
    const v = t[field];
    if (typeof v !== "string" || v === "") continue;
    const h = hostOf(v);
    if (h) return h;
  }
  return null;
}

export function hostOf(s: string): string | null {
  if (s.includes("://")) {
    try {
      return new URL(s).hostname.replace(/^\[|\]$/g, "") || null;
    } catch {
      return null;
    }
  }
  const m = /^\[?([^\]]+?)\]?(?::\d+)?$/.exec(s);
  return m ? m[1]! : null;
}

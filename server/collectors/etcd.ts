import http from "node:http";
import https from "node:https";
import { z } from "zod";
import { CLUSTERS, type ClustersConfig, type PatroniTarget } from "./patroni";
import type { KindDef, ProbeResult } from "./types";
import { describeError, since, urlEndpoint } from "./util";
import { judgeEtcd, type EtcdHealthData } from "@/server/health/dcs";

/**
 * The DCS of a Patroni cluster: every etcd endpoint asked at once, each within ENDPOINT_MS, for its
 * /health, /v3/maintenance/status and the member list. etcd's JSON gateway sends 64-bit ids and
 * counters as strings; ids stay strings (they do not fit a double), counters become numbers.
 */

export type EtcdTarget = PatroniTarget & { dcs: NonNullable<PatroniTarget["dcs"]> };

export interface EtcdMember {
  /** Hex, as `etcdctl member list --hex` prints it. */
  id: string;
  name: string;
  clientUrls: string[];
  isLearner: boolean;
}

export interface EtcdEndpoint {
  /** host:port of the client URL (no credentials). */
  endpoint: string;
  /** The member that answered (from its status), when it did. */
  member: string | null;
  /** GET /health said true: this member sees a leader and can commit. null when it did not answer. */
  healthy: boolean | null;
  /** The member's leader, by name (its id when the member list did not name it); null when it has none. */
  leader: string | null;
  raftTerm: number | null;
  raftIndex: number | null;
  dbSizeBytes: number | null;
  version: string | null;
  /** etcd's own errors from the status (e.g. "etcdserver: no leader"), and alarms. */
  errors: string[];
  /** Why the endpoint did not answer; null when it did. */
  error: string | null;
  latencyMs: number;
}

export interface EtcdData {
  endpoints: EtcdEndpoint[];
  /** From the first endpoint whose member list answered; empty when none did. */
  members: EtcdMember[];
  /** The leader most answering endpoints name; null when none names one. */
  leader: string | null;
  /** The highest raft term any endpoint reports. */
  raftTerm: number | null;
  /** Voting members (member list, else the configured endpoints) and how many are needed for quorum. */
  voters: number;
  quorum: number;
  /** Endpoints whose /health is true. */
  healthy: number;
}

/** Per-endpoint budget: a frozen member costs this, not the whole deadline. */
export const ENDPOINT_MS = 500;
const MAX_BODY = 256 * 1024;

const Str = z.union([z.string(), z.number()]).transform(String);
const Num = z.union([z.string(), z.number()]).transform(Number).pipe(z.number().finite());

const HealthResponse = z.object({ health: z.union([z.string(), z.boolean()]), reason: z.string().optional() });
const StatusResponse = z.object({
  header: z.object({ member_id: Str.optional() }).optional(),
  version: z.string().optional(),
  dbSize: Num.optional(),
  leader: Str.optional(),
  raftIndex: Num.optional(),
  raftTerm: Num.optional(),
  errors: z.array(z.string()).optional(),
});
const MemberListResponse = z.object({
  members: z
    .array(z.object({ ID: Str, name: z.string().optional(), clientURLs: z.array(z.string()).optional(), isLearner: z.boolean().optional() }))
    .default([]),
});
const AuthResponse = z.object({ token: z.string() });

/** "8882395181795399678" → "7b449b5b5d8e57fe" (etcdctl's --hex); kept as given when not a decimal. */
export const hexId = (id: string): string => (/^\d+$/.test(id) ? BigInt(id).toString(16) : id);

export interface Reply {
  status: number;
  text: string;
}

/** One request with the DCS's TLS material; node:https, since fetch takes no CA or client certificate. */
function request(target: EtcdTarget, url: string, init: { method: "GET" | "POST"; body?: string; token?: string }, signal: AbortSignal): Promise<Reply> {
  const tls = target.dcs.tls;
  const u = new URL(url);
  const headers: Record<string, string> = { accept: "application/json" };
  if (init.body !== undefined) headers["content-type"] = "application/json";
  if (init.token) headers.authorization = init.token;
  const options: https.RequestOptions = {
    method: init.method,
    headers,
    signal,
    agent: false,
    ...(u.protocol === "https:" && tls ? { ca: tls.ca?.reveal(), cert: tls.cert?.reveal(), key: tls.key?.reveal() } : {}),
  };
  return new Promise((resolve, reject) => {
    const req = (u.protocol === "https:" ? https : http).request(u, options, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (c: Buffer) => {
        size += c.length;
        if (size <= MAX_BODY) chunks.push(c);
        else res.destroy();
      });
      const done = () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") });
      res.on("end", done);
      // A body cut at MAX_BODY ends with "close" only (the truncated text then fails to parse); any other early close is a failure.
      res.on("close", () => (res.complete || size > MAX_BODY ? done() : reject(new Error("response closed early"))));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(init.body);
  });
}

class Refused extends Error {}

function json<T>(schema: z.ZodType<T>, reply: Reply, what: string, allow: (status: number) => boolean = (s) => s === 200): T {
  if (reply.status === 401) throw new Refused("etcd refused the credentials (HTTP 401); check dcs.username and dcs.password");
  if (reply.status === 403) throw new Refused("etcd denied access (HTTP 403)");
  if (!allow(reply.status)) throw new Refused(`${what}: HTTP ${reply.status}`);
  let body: unknown;
  try {
    body = JSON.parse(reply.text);
  } catch {
    throw new Refused(`unexpected ${what} response (not JSON)`);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new Refused(`unexpected ${what} response`);
  return parsed.data;
}

export interface Answer {
  endpoint: EtcdEndpoint;
  leaderId: string | null;
  memberId: string | null;
  members: EtcdMember[] | null;
}

/** What one endpoint sent: /health, /v3/maintenance/status, and the member list (null when it failed). */
export interface EndpointReplies {
  health: Reply;
  status: Reply;
  members: Reply | null;
}

const blankEndpoint = (base: string, latencyMs: number): EtcdEndpoint => ({
  endpoint: urlEndpoint(base), member: null, healthy: null, leader: null, raftTerm: null, raftIndex: null, dbSizeBytes: null, version: null, errors: [], error: null, latencyMs,
});
/** An endpoint that did not answer, with the reason. */
export const unanswered = (base: string, error: string, latencyMs: number): Answer => ({ endpoint: { ...blankEndpoint(base, latencyMs), error }, leaderId: null, memberId: null, members: null });

/** One endpoint's replies read (pure); an unusable reply makes the endpoint unanswered with the reason. */
export function readEndpoint(base: string, r: EndpointReplies, latencyMs: number): Answer {
  try {
    // 503 is /health's own "false" (no leader, or a failed quorum read).
    const health = json(HealthResponse, r.health, "/health", (s) => s === 200 || s === 503);
    const status = json(StatusResponse, r.status, "/v3/maintenance/status");
    let list: z.infer<typeof MemberListResponse> | null = null;
    try {
      list = r.members ? json(MemberListResponse, r.members, "/v3/cluster/member/list") : null;
    } catch {
      list = null;
    }
    const members = list?.members.map<EtcdMember>((m) => ({ id: hexId(m.ID), name: m.name ?? "", clientUrls: m.clientURLs ?? [], isLearner: m.isLearner ?? false })) ?? null;
    return {
      endpoint: {
        ...blankEndpoint(base, latencyMs),
        healthy: health.health === true || health.health === "true",
        raftTerm: status.raftTerm ?? null,
        raftIndex: status.raftIndex ?? null,
        dbSizeBytes: status.dbSize ?? null,
        version: status.version ?? null,
        errors: [...(status.errors ?? []), ...(health.reason ? [health.reason] : [])],
      },
      leaderId: status.leader && status.leader !== "0" ? hexId(status.leader) : null,
      memberId: status.header?.member_id ? hexId(status.header.member_id) : null,
      members,
    };
  } catch (e) {
    if (e instanceof Refused) return unanswered(base, e.message, latencyMs);
    throw e;
  }
}

async function askEndpoint(target: EtcdTarget, base: string, signal: AbortSignal): Promise<Answer> {
  const start = performance.now();
  const bound = AbortSignal.any([signal, AbortSignal.timeout(ENDPOINT_MS)]);
  const url = (path: string) => new URL(path, base.endsWith("/") ? base : `${base}/`).toString();
  try {
    let token: string | undefined;
    const { username, password } = target.dcs;
    if (username !== undefined) {
      const body = JSON.stringify({ name: username, password: password?.reveal() ?? "" });
      const reply = await request(target, url("v3/auth/authenticate"), { method: "POST", body }, bound);
      // etcd answers a wrong user or password with 400 ("authentication failed").
      if (reply.status === 400) throw new Refused("etcd refused the credentials; check dcs.username and dcs.password");
      token = json(AuthResponse, reply, "/v3/auth/authenticate").token;
    }
    const [health, status, members] = await Promise.all([
      request(target, url("health"), { method: "GET", token }, bound),
      request(target, url("v3/maintenance/status"), { method: "POST", body: "{}", token }, bound),
      request(target, url("v3/cluster/member/list"), { method: "POST", body: "{}", token }, bound).catch(() => null),
    ]);
    return readEndpoint(base, { health, status, members }, since(start));
  } catch (e) {
    return unanswered(base, e instanceof Refused ? e.message : describeError(e, bound, start), since(start));
  }
}

/** The answers named by the member list, and the cluster-wide figures. */
export function toEtcdData(answers: readonly Answer[], configured: number): EtcdData {
  const members = answers.find((a) => a.members)?.members ?? [];
  const nameOf = (id: string | null) => (id === null ? null : (members.find((m) => m.id === id)?.name || id));
  // A member that did not answer is named by the member list's client URLs.
  const byUrl = (endpoint: string) => members.find((m) => m.clientUrls.some((u) => urlEndpoint(u) === endpoint))?.name || null;
  const endpoints = answers.map((a) => ({ ...a.endpoint, member: nameOf(a.memberId) ?? byUrl(a.endpoint.endpoint), leader: nameOf(a.leaderId) }));
  const votes = new Map<string, number>();
  for (const e of endpoints) if (e.leader) votes.set(e.leader, (votes.get(e.leader) ?? 0) + 1);
  const leader = [...votes].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  const terms = endpoints.map((e) => e.raftTerm).filter((t): t is number => t !== null);
  const voters = members.filter((m) => !m.isLearner).length || configured;
  return {
    endpoints,
    members,
    leader,
    raftTerm: terms.length ? Math.max(...terms) : null,
    voters,
    quorum: Math.floor(voters / 2) + 1,
    healthy: endpoints.filter((e) => e.healthy).length,
  };
}

export async function probeEtcd(target: EtcdTarget, signal: AbortSignal): Promise<ProbeResult<EtcdData>> {
  const start = performance.now();
  const answers = await Promise.all(target.dcs.endpoints.map((e) => askEndpoint(target, e, signal)));
  const data = toEtcdData(answers, target.dcs.endpoints.length);
  const latencyMs = since(start);
  if (data.endpoints.every((e) => e.error)) {
    return { ok: false, latencyMs, error: `no etcd endpoint answered: ${data.endpoints.map((e) => `${e.endpoint}: ${e.error}`).join("; ")}`, data };
  }
  if (data.healthy === 0) return { ok: false, latencyMs, error: "no etcd member is healthy (no leader, or no quorum)", data };
  return { ok: true, latencyMs, data };
}

/** One unit per Patroni cluster that names its DCS; it counts towards the cluster's component. */
export const etcdCollector: KindDef<"etcd", typeof CLUSTERS, EtcdTarget, EtcdData, ClustersConfig, EtcdHealthData> = {
  kind: "etcd",
  section: CLUSTERS,
  units: (config) => config.clusters.flatMap((c) => (c.dcs ? [{ entry: c, target: { ...c, dcs: c.dcs } }] : [])),
  probe: probeEtcd,
  judge: judgeEtcd,
};

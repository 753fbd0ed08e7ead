/**
 * The lab's alerting oracles: what Alertmanager's own API holds (GET /api/v2/alerts), what the webhook
 * sink received, and the knobs that make a receiver fail. Tests and the benchmark judge the dashboard's
 * notifications here, never from the dashboard's own tables.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { ALERTMANAGER, WEBHOOK_SECRET, WEBHOOK_SINK, paths } from "./topology";

/** One request the sink received (e2e/lab/services/webhook-sink.ts). */
export interface SinkRecord {
  seq: number;
  /** When its whole body had arrived, epoch ms. */
  at: number;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  /** The status answered; null when the sink played dead and dropped the connection. */
  code: number | null;
}

/** What the sink answers on a path: these codes in turn, then `then` for good; "down" drops the connection. */
export type SinkAnswer = number | "down";

/** An alert as Alertmanager's API v2 lists it (the fields the tests read). */
export interface AmAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  updatedAt: string;
  fingerprint: string;
  generatorURL?: string;
  status: { state: "active" | "suppressed" | "unprocessed"; silencedBy: string[]; inhibitedBy: string[] };
  receivers: { name: string }[];
}

/** Alertmanager's webhook body (version 4), which the sink gets on /am and the dashboard's direct receivers imitate. */
export interface AmWebhook {
  version: string;
  groupKey: string;
  status: "firing" | "resolved";
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: { status: "firing" | "resolved"; labels: Record<string, string>; annotations: Record<string, string>; startsAt: string; endsAt: string; generatorURL: string; fingerprint: string }[];
}

async function call<T>(url: string, init?: RequestInit, timeoutMs = 2000): Promise<T> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`${init?.method ?? "GET"} ${url}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Alerts Alertmanager holds as active now (resolved ones, endsAt past, are not listed), optionally by label equality. */
export async function amAlerts(match: Record<string, string> = {}): Promise<AmAlert[]> {
  const q = new URLSearchParams([["active", "true"], ["silenced", "true"], ["inhibited", "true"], ...Object.entries(match).map(([k, v]) => ["filter", `${k}=${JSON.stringify(v)}`])]);
  return call<AmAlert[]>(`${ALERTMANAGER.url}/api/v2/alerts?${q}`);
}

/** Alertmanager answers /-/ready with 200 once it has loaded its config. */
export async function amReady(): Promise<boolean> {
  try {
    return (await fetch(`${ALERTMANAGER.url}/-/ready`, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}

/** Posts alerts to Alertmanager as a client would (the lab's own tests of the route to the sink). */
export async function amPost(alerts: { labels: Record<string, string>; annotations?: Record<string, string>; startsAt?: string; endsAt?: string }[]): Promise<void> {
  const res = await fetch(`${ALERTMANAGER.url}/api/v2/alerts`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(alerts), signal: AbortSignal.timeout(2000) });
  if (!res.ok) throw new Error(`POST /api/v2/alerts: HTTP ${res.status} ${await res.text()}`);
}

/** The sink's records, oldest first: on one path, after a sequence number. */
export async function sinkRecords(opts: { path?: string; after?: number } = {}): Promise<SinkRecord[]> {
  const q = new URLSearchParams();
  if (opts.path) q.set("path", opts.path);
  if (opts.after) q.set("after", String(opts.after));
  return call<SinkRecord[]>(`${WEBHOOK_SINK.url}/_sink/requests?${q}`);
}

/** The sequence number of the sink's latest record: a test's "from here on". */
export async function sinkMark(): Promise<number> {
  return (await sinkRecords()).at(-1)?.seq ?? 0;
}

/** Tells the sink how to answer the next requests to `path` (e.g. [500, 500] then 200), or to be down. */
export async function sinkControl(p: string, rule: { codes?: SinkAnswer[]; then?: SinkAnswer }): Promise<void> {
  await call(`${WEBHOOK_SINK.url}/_sink/control`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ path: p, ...rule }) });
}

/** Every path answers 200 again. */
export async function sinkReset(): Promise<void> {
  await call(`${WEBHOOK_SINK.url}/_sink/reset`, { method: "POST" });
}

export async function sinkUp(): Promise<boolean> {
  try {
    return (await fetch(`${WEBHOOK_SINK.url}/_sink/requests?after=${Number.MAX_SAFE_INTEGER}`, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}

/** The body of a record as Alertmanager's webhook format (undefined when it is not JSON). */
export function webhookBody(r: SinkRecord): AmWebhook | undefined {
  try {
    return JSON.parse(r.body) as AmWebhook;
  } catch {
    return undefined;
  }
}

/** The lab's Standard Webhooks secret (whsec_…), as the dashboard reads it. */
export function labWebhookSecret(): string {
  return readFileSync(path.join(paths.secrets, WEBHOOK_SECRET.file), "utf8").trim();
}

import net from "node:net";
import { z } from "zod";
import { HttpUrl, SecretRef, TargetBase } from "@/server/config/fields";
import { describeFetchError, fetchWithRetry, readBounded, requestFor } from "./http";
import type { EntryOf, KindDef, ProbeResult, Section } from "./types";
import { describeError, since } from "./util";
import { judgeHaproxy, type HaproxyHealthData } from "@/server/health/judge";

export const HaproxyEndpoint = z
  .strictObject({
    ...TargetBase,
    /** The stats page in CSV form, e.g. http://10.0.1.60:8404/stats;csv */
    statsUrl: HttpUrl.optional(),
    /** Or the admin socket path (on the dashboard host). */
    statsSocket: z.string().min(1).optional(),
    /** `stats auth user:password` on the stats page; sent as basic auth. */
    username: z.string().min(1, { error: "expected the stats auth username" }).optional(),
    password: SecretRef.optional(),
  })
  .refine((h) => h.statsUrl !== undefined || h.statsSocket !== undefined, {
    error: "give statsUrl (the CSV stats page) or statsSocket (the admin socket path)",
  })
  .refine((h) => (h.username === undefined) === (h.password === undefined), {
    error: "give both username and password (HAProxy's stats auth), or neither",
    path: ["password"],
  });

export const HAPROXY: Section<"haproxy", typeof HaproxyEndpoint> = { name: "haproxy", schema: HaproxyEndpoint };
export type HaproxyTarget = EntryOf<typeof HAPROXY>;

export type HaproxyRowType = "frontend" | "backend" | "server" | "listener" | "unknown";

export interface HaproxyRow {
  proxy: string;
  /** FRONTEND, BACKEND, or the server's name. */
  name: string;
  type: HaproxyRowType;
  /**
   * Verbatim: UP, DOWN, OPEN, MAINT, DRAIN, NOLB, "no check", and the transitional states seen in the
   * lab as UP → "UP 2/3" → "UP 1/3" → DOWN → "DOWN 1/2" → UP: failures left before DOWN out of
   * `fall`, and good checks so far out of `rise`.
   */
  status: string;
  /** L4OK, L7OK, L4CON, L4TOUT, L7STS, ... (servers with checks only): the last completed check. */
  checkStatus: string | null;
  /**
   * HAProxy prefixes check_status with "* " while a check is running, and reports code 0 until it
   * completes: we strip the prefix and say so here, so a poll that lands mid-check reads the same.
   */
  checkRunning: boolean;
  checkCode: string | null;
  checkDurationMs: number | null;
  checkDescription: string | null;
  /** Seconds since the last UP/DOWN transition. */
  lastChangeSeconds: number | null;
  downtimeSeconds: number | null;
  checkFailures: number | null;
  weight: number | null;
  /** Server rows: 1 for an active server. Backend rows: active servers up. */
  active: number | null;
  /** Server rows: 1 for a backup server. Backend rows: backup servers up. */
  backup: number | null;
  sessions: number | null;
  address: string | null;
}

export interface HaproxyProxy {
  name: string;
  frontend: HaproxyRow | null;
  backend: HaproxyRow | null;
  servers: HaproxyRow[];
}

export interface HaproxyData {
  proxies: HaproxyProxy[];
}

const TYPES: Record<string, HaproxyRowType> = { "0": "frontend", "1": "backend", "2": "server", "3": "listener" };

/** One CSV line; HAProxy quotes fields that contain commas or quotes (csv_enc). */
function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      out.push(cur);
      cur = "";
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/**
 * Parse `show stat` / `;csv` output by header name: the column set grows between HAProxy versions,
 * so positions are never assumed.
 */
export function parseHaproxyCsv(text: string): HaproxyRow[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  const headerLine = lines.find((l) => l.startsWith("#"));
  if (!headerLine) throw new Error("no CSV header line (# pxname,svname,...)");
  const header = splitCsvLine(headerLine.replace(/^#\s*/, ""));
  const col = new Map(header.map((h, i) => [h.trim(), i]));
  if (!col.has("pxname") || !col.has("svname") || !col.has("status")) throw new Error("CSV header lacks pxname/svname/status");

  return lines
    .filter((l) => !l.startsWith("#"))
    .map((line) => {
      const f = splitCsvLine(line);
      const str = (name: string) => {
        const i = col.get(name);
        const v = i === undefined ? undefined : f[i];
        return v === undefined || v === "" ? null : v;
      };
      const num = (name: string) => {
        const v = str(name);
        return v === null || Number.isNaN(Number(v)) ? null : Number(v);
      };
      const svname = str("svname") ?? "";
      const rawCheck = str("check_status");
      const checkRunning = rawCheck?.startsWith("* ") ?? false;
      const checkCode = str("check_code");
      const type =
        TYPES[str("type") ?? ""] ?? (svname === "FRONTEND" ? "frontend" : svname === "BACKEND" ? "backend" : "unknown");
      return {
        proxy: str("pxname") ?? "",
        name: svname,
        type,
        status: str("status") ?? "",
        checkStatus: checkRunning ? (rawCheck as string).slice(2) : rawCheck,
        checkRunning,
        checkCode: checkRunning && checkCode === "0" ? null : checkCode,
        checkDurationMs: num("check_duration"),
        checkDescription: str("check_desc"),
        lastChangeSeconds: num("lastchg"),
        downtimeSeconds: num("downtime"),
        checkFailures: num("chkfail"),
        weight: num("weight"),
        active: num("act"),
        backup: num("bck"),
        sessions: num("scur"),
        address: str("addr"),
      };
    });
}

/** Rows grouped by proxy, in the order HAProxy lists them. */
export function groupByProxy(rows: HaproxyRow[]): HaproxyProxy[] {
  const proxies = new Map<string, HaproxyProxy>();
  for (const row of rows) {
    let p = proxies.get(row.proxy);
    if (!p) {
      p = { name: row.proxy, frontend: null, backend: null, servers: [] };
      proxies.set(row.proxy, p);
    }
    if (row.type === "frontend") p.frontend = row;
    else if (row.type === "backend") p.backend = row;
    else if (row.type === "server") p.servers.push(row);
  }
  return [...proxies.values()];
}

const MAX_STATS = 4 * 1024 * 1024;

async function fetchStatsUrl(target: HaproxyTarget & { statsUrl: string }, signal: AbortSignal): Promise<string> {
  const req = requestFor(target.statsUrl, target.username, target.password?.reveal());
  const { res } = await fetchWithRetry(req.url, { signal, headers: req.headers, cache: "no-store" });
  const text = await readBounded(res, MAX_STATS);
  if (!res.ok) throw new HaproxyHttpError(res.status);
  return text;
}

/** 401 is `stats auth`: say whether credentials were sent and wrong, or are missing. */
function statsHttpError(status: number, target: HaproxyTarget): string {
  if (status !== 401) return `stats page answered HTTP ${status}`;
  return target.username !== undefined || target.password !== undefined
    ? "stats page refused the credentials (HTTP 401); check username and password"
    : "stats page requires credentials (HTTP 401, stats auth); set username and password";
}

class HaproxyHttpError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

/**
 * `show stat` on the admin socket (same CSV as the stats page). In non-interactive mode HAProxy
 * answers one command and closes the connection, so the answer ends at EOF.
 */
export function readStatsSocket(path: string, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const chunks: string[] = [];
    let size = 0;
    let settled = false;
    const socket = net.connect({ path });
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener("abort", onAbort);
      socket.destroy();
      fn();
    };
    const onAbort = () => finish(() => reject(signal.reason));
    signal.addEventListener("abort", onAbort, { once: true });
    socket.setEncoding("utf8");
    socket.on("connect", () => socket.write("show stat\n"));
    socket.on("data", (chunk: string) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > MAX_STATS) finish(() => reject(new Error("stats answer too large")));
    });
    socket.on("error", (e) => finish(() => reject(e)));
    socket.on("end", () => finish(() => resolve(chunks.join(""))));
    socket.on("close", () => finish(() => resolve(chunks.join(""))));
  });
}

export async function probeHaproxy(target: HaproxyTarget, signal: AbortSignal): Promise<ProbeResult<HaproxyData>> {
  const start = performance.now();
  let text: string;
  try {
    text = target.statsUrl
      ? await fetchStatsUrl({ ...target, statsUrl: target.statsUrl }, signal)
      : await readStatsSocket(target.statsSocket ?? "", signal);
  } catch (e) {
    const error =
      e instanceof HaproxyHttpError
        ? statsHttpError(e.status, target)
        : target.statsUrl
          ? describeFetchError(e, signal, start)
          : describeError(e, signal, start, "admin socket");
    return { ok: false, latencyMs: since(start), error };
  }
  try {
    return { ok: true, latencyMs: since(start), data: { proxies: groupByProxy(parseHaproxyCsv(text)) } };
  } catch {
    return { ok: false, latencyMs: since(start), error: "stats answer is not HAProxy CSV" };
  }
}

export const haproxyCollector: KindDef<"haproxy", typeof HAPROXY, HaproxyTarget, HaproxyData, { haproxy: readonly HaproxyTarget[] }, HaproxyHealthData> = {
  kind: "haproxy",
  section: HAPROXY,
  units: (config) => config.haproxy.map((h) => ({ entry: h, target: h })),
  probe: probeHaproxy,
  judge: judgeHaproxy,
};

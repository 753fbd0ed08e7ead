import "server-only";
import net from "node:net";
import { readBounded, requestFor } from "./http";
import type { Collector, HaproxyTarget, ProbeResult } from "./types";
import { describeError, since } from "./util";

export type HaproxyRowType = "frontend" | "backend" | "server" | "listener" | "unknown";

export interface HaproxyRow {
  proxy: string;
  /** FRONTEND, BACKEND, or the server's name. */
  name: string;
  type: HaproxyRowType;
  /** UP, DOWN, OPEN, MAINT, DRAIN, NOLB, "UP 1/3" (going down), "no check", ... */
  status: string;
  /** L4OK, L7OK, L4CON, L4TOUT, L7STS, ... (servers with checks only). */
  checkStatus: string | null;
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
      const type =
        TYPES[str("type") ?? ""] ?? (svname === "FRONTEND" ? "frontend" : svname === "BACKEND" ? "backend" : "unknown");
      return {
        proxy: str("pxname") ?? "",
        name: svname,
        type,
        status: str("status") ?? "",
        checkStatus: str("check_status"),
        checkCode: str("check_code"),
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

async function fetchStatsUrl(target: HaproxyTarget & { statsUrl: string }, signal: AbortSignal): Promise<string> {
  const req = requestFor(target.statsUrl, target.username, target.password?.reveal());
  const res = await fetch(req.url, { signal, headers: req.headers, cache: "no-store" });
  const text = await readBounded(res, 4 * 1024 * 1024);
  if (!res.ok) throw new HaproxyHttpError(res.status);
  return text;
}

class HaproxyHttpError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

/** `show stat` on the admin socket; the socket closes the connection after one command. */
function readStatsSocket(path: string, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    const socket = net.connect({ path });
    const onAbort = () => {
      socket.destroy();
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    const done = (fn: () => void) => {
      signal.removeEventListener("abort", onAbort);
      fn();
    };
    socket.setEncoding("utf8");
    socket.on("connect", () => socket.write("show stat\n"));
    socket.on("data", (chunk: string) => {
      out += chunk;
    });
    socket.on("error", (e) => done(() => reject(e)));
    socket.on("end", () => done(() => resolve(out)));
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
    const error = e instanceof HaproxyHttpError ? `stats page answered HTTP ${e.status}` : describeError(e, signal, start);
    return { ok: false, latencyMs: since(start), error };
  }
  try {
    return { ok: true, latencyMs: since(start), data: { proxies: groupByProxy(parseHaproxyCsv(text)) } };
  } catch {
    return { ok: false, latencyMs: since(start), error: "stats answer is not HAProxy CSV" };
  }
}

export const haproxyCollector: Collector<"haproxy", HaproxyTarget, HaproxyData> = { kind: "haproxy", probe: probeHaproxy };

/**
 * A webhook receiver for the lab's alerting tests,
 *   node --import tsx e2e/lab/services/webhook-sink.ts
 * Listens on WEBHOOK_SINK.port. Every request to any path outside /_sink/ is recorded (time, method,
 * path, headers, raw body, the answer given) as one line of WEBHOOK_SINK records file, and answered
 * as that path's rule says: by default 200. Its own API:
 *   GET  /_sink/requests[?path=/direct][&after=<seq>]   the records, oldest first
 *   POST /_sink/control {"path": "/direct", "codes": [500, 500], "then": 200 | "down"}
 *        answer the next requests to that path with these codes, then always `then`; "down" (as a
 *        code or as `then`) drops the connection without an answer, as a receiver that is down
 *   POST /_sink/reset                                     every path back to 200 (records are kept)
 * Records survive a restart of the sink (read back from the file); a clean `lab up` starts a new file.
 */
import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import path from "node:path";
import type { SinkAnswer, SinkRecord } from "../alerting";
import { HOST, WEBHOOK_SINK, paths } from "../topology";

type Answer = SinkAnswer;

interface Rule {
  codes: Answer[];
  then: Answer;
}

const records: SinkRecord[] = [];
const rules = new Map<string, Rule>();

function load(): void {
  try {
    for (const line of readFileSync(paths.webhookSinkRecords, "utf8").split("\n")) if (line.trim()) records.push(JSON.parse(line) as SinkRecord);
  } catch {
    // no records yet
  }
}

const isAnswer = (v: unknown): v is Answer => v === "down" || (Number.isInteger(v) && (v as number) >= 100 && (v as number) <= 599);

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function json(res: ServerResponse, code: number, value: unknown): void {
  res.writeHead(code, { "content-type": "application/json" });
  res.end(JSON.stringify(value));
}

function nextAnswer(p: string): Answer {
  const rule = rules.get(p);
  if (!rule) return 200;
  return rule.codes.shift() ?? rule.then;
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", `http://${HOST}`);
  const body = await readBody(req);
  if (url.pathname === "/_sink/requests" && req.method === "GET") {
    const only = url.searchParams.get("path");
    const after = Number(url.searchParams.get("after") ?? 0);
    return json(res, 200, records.filter((r) => r.seq > after && (only === null || r.path === only)));
  }
  if (url.pathname === "/_sink/control" && req.method === "POST") {
    let c: { path?: unknown; codes?: unknown; then?: unknown };
    try {
      c = JSON.parse(body) as typeof c;
    } catch {
      return json(res, 400, { error: "expected a JSON body" });
    }
    const codes = c.codes ?? [];
    const then = c.then ?? 200;
    if (typeof c.path !== "string" || !c.path.startsWith("/") || !Array.isArray(codes) || !codes.every(isAnswer) || !isAnswer(then)) {
      return json(res, 400, { error: 'expected {"path": "/x", "codes": [500, "down", ...], "then": 200 | "down"}' });
    }
    rules.set(c.path, { codes: [...codes], then });
    return json(res, 200, { path: c.path, codes, then });
  }
  if (url.pathname === "/_sink/reset" && req.method === "POST") {
    rules.clear();
    return json(res, 200, { reset: true });
  }
  if (url.pathname.startsWith("/_sink/")) return json(res, 404, { error: "unknown sink endpoint" });

  const answer = nextAnswer(url.pathname);
  const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")]));
  const record: SinkRecord = { seq: records.length + 1, at: Date.now(), method: req.method ?? "", path: url.pathname, headers, body, code: answer === "down" ? null : answer };
  records.push(record);
  appendFileSync(paths.webhookSinkRecords, `${JSON.stringify(record)}\n`);
  if (answer === "down") {
    req.socket.destroy();
    return;
  }
  json(res, answer, { received: record.seq });
}

mkdirSync(path.dirname(paths.webhookSinkRecords), { recursive: true });
load();
createServer((req, res) => {
  handle(req, res).catch((e: unknown) => {
    if (!res.headersSent) json(res, 500, { error: e instanceof Error ? e.message : String(e) });
  });
}).listen(WEBHOOK_SINK.port, HOST, () => console.log(`webhook sink ${HOST}:${WEBHOOK_SINK.port}, records in ${paths.webhookSinkRecords}, pid ${process.pid}`));

const shutdown = () => process.exit(0);
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);

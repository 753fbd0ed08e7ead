/** Test helpers: alerting configs through the real parser, alert events, and real HTTP receivers on 127.0.0.1. */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { stringify } from "yaml";
import { alertFingerprint, type AlertEvent, type AlertLabels, type AlertSource } from "@/lib/alerts";
import { parseConfig } from "@/server/config/load";
import { close, listen } from "@/server/testing/listen";

export const SECRET_A = `whsec_${Buffer.alloc(32, 7).toString("base64")}`;
export const SECRET_B = `whsec_${Buffer.alloc(32, 9).toString("base64")}`;

/** A config with this `alerting:` section, parsed and its secrets resolved as at start-up. */
export function alertingConfig(alerting: unknown, env: Record<string, string> = {}) {
  const cfg = parseConfig(stringify({ version: 1, auth: { baseURL: "https://noc.example.com" }, alerting }), "/tmp/ha.config.yaml", { NODE_ENV: "test", ...env } as NodeJS.ProcessEnv);
  return { alerting: cfg.alerting!, auth: cfg.auth };
}

export function alertEvent(labels: Partial<AlertLabels> & { alertname: string }, over: Partial<AlertEvent> = {}): AlertEvent {
  const full = { severity: "critical", ...labels } as AlertLabels;
  const at = over.at ?? Date.now();
  const status = over.status ?? "firing";
  return {
    fingerprint: alertFingerprint(full),
    status,
    at,
    labels: full,
    annotations: { summary: `${full.alertname} ${full.component ?? ""}`.trim(), description: "the reason the wall shows" },
    path: "/clusters/main",
    source: (over.source ?? "status") as AlertSource,
    startsAt: over.startsAt ?? at - 3000,
    endsAt: over.endsAt ?? (status === "resolved" ? at : null),
    expiresAt: over.expiresAt ?? null,
  };
}

export interface Received {
  at: number;
  headers: IncomingHttpHeaders;
  body: string;
  url: string;
}

export type Answer = { status: number; headers?: Record<string, string>; body?: string } | "hang" | "reset";

/** A webhook receiver on 127.0.0.1 answering each request with the next scripted answer (then the last). */
export class Receiver {
  readonly requests: Received[] = [];
  private server: Server;
  port = 0;
  private waiting: (() => void)[] = [];
  constructor(private answers: Answer[] = [{ status: 200 }]) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const answer = this.answers.length > 1 ? this.answers.shift()! : this.answers[0]!;
        this.requests.push({ at: Date.now(), headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), url: req.url ?? "" });
        for (const w of this.waiting.splice(0)) w();
        if (answer === "hang") return;
        if (answer === "reset") {
          req.socket.destroy();
          return;
        }
        res.writeHead(answer.status, { "content-type": "text/plain", ...answer.headers });
        res.end(answer.body ?? "");
      });
    });
  }
  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }
  async start(): Promise<this> {
    this.port = await listen(this.server);
    return this;
  }
  script(answers: Answer[]): void {
    this.answers = answers;
  }
  /** Resolves once `n` requests have arrived (or rejects after `ms`). */
  async waitFor(n: number, ms = 5000): Promise<Received[]> {
    const deadline = Date.now() + ms;
    while (this.requests.length < n) {
      if (Date.now() > deadline) throw new Error(`expected ${n} requests, got ${this.requests.length}`);
      await new Promise<void>((resolve) => {
        this.waiting.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return this.requests;
  }
  async stop(): Promise<void> {
    await close(this.server);
  }
}

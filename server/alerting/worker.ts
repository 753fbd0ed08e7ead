import { claimDue, recordAttempt, releaseClaims, type ClaimedNotification } from "@/server/store/notifications";
import type { Store } from "@/server/store/store";
import { judgeAttempt } from "./backoff";
import { countNotification } from "./counters";
import { postNotification, type SendResult } from "./send";
import { alertmanagerAlertsUrl, type AlertingLog, type ReceiverConfig } from "./settings";
import { signatureHeaders } from "./sign";

/**
 * Sends due notifications. A notification is claimed for its timeout plus a margin, sent, and its
 * attempt recorded (delivered, retried later, or dead). A worker that dies mid-send leaves its claim
 * to run out; the next worker sends the same frozen body under the same webhook-id, so a receiver
 * that keeps the ids it has seen drops the duplicate.
 */

export interface WorkerOptions {
  store: Store;
  receivers: readonly ReceiverConfig[];
  now?: () => number;
  random?: () => number;
  log?: AlertingLog;
  /** Sends in flight at most. */
  concurrency?: number;
}

/** The claim outlives the attempt's timeout by this, so a slow but live worker keeps its claim. */
const LEASE_MARGIN_MS = 5_000;
/** How long a stopping worker waits for its sends in flight (the process has 10 s to exit in all). */
const STOP_GRACE_MS = 2_000;

export class DeliveryWorker {
  private readonly receivers: Map<string, ReceiverConfig>;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly inflight = new Map<number, Promise<void>>();
  private readonly stopping = new AbortController();
  /** Set by abandon(): nothing more is written, as after a crash. */
  private dead = false;
  private closing = false;
  private readonly leaseMs: number;
  private readonly concurrency: number;

  constructor(private readonly opts: WorkerOptions) {
    this.receivers = new Map(opts.receivers.map((r) => [r.name, r]));
    this.now = opts.now ?? Date.now;
    this.random = opts.random ?? Math.random;
    this.concurrency = opts.concurrency ?? 16;
    this.leaseMs = Math.max(0, ...opts.receivers.map((r) => r.timeoutMs)) + LEASE_MARGIN_MS;
  }

  /** Claims what is due (up to the free slots) and starts sending it; returns how many were claimed. */
  async tick(): Promise<number> {
    if (this.dead || this.closing) return 0;
    const free = this.concurrency - this.inflight.size;
    if (free <= 0) return 0;
    const claimed = await claimDue(this.opts.store, { now: this.now(), leaseMs: this.leaseMs, limit: free, receivers: [...this.receivers.keys()] });
    for (const n of claimed) {
      const p = this.deliver(n)
        .catch((e: unknown) => this.opts.log?.("error", `[alerting] notification #${n.id} to ${n.receiver}: could not record the attempt: ${e instanceof Error ? e.message : String(e)}`))
        .finally(() => this.inflight.delete(n.id));
      this.inflight.set(n.id, p);
    }
    return claimed.length;
  }

  /** Resolves when every send started so far has finished and been recorded. */
  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.all([...this.inflight.values()]);
  }

  /**
   * Stops claiming, lets sends in flight finish for up to `graceMs` (a receiver that already has the
   * request should not get it twice), then cuts the rest off and gives their claims back, so the next
   * start sends them at once.
   */
  async stop(graceMs = STOP_GRACE_MS): Promise<void> {
    this.closing = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([this.idle(), new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    this.stopping.abort();
    await this.idle();
  }

  /** For tests of a crash: cut the sends off and write nothing more; the claims stay until they run out. */
  abandon(): void {
    this.dead = true;
    this.closing = true;
    this.stopping.abort();
  }

  private async send(n: ClaimedNotification, r: ReceiverConfig, at: number): Promise<SendResult> {
    if (r.type === "webhook") {
      const headers = signatureHeaders(n.webhookId, n.body, r.secrets.map((s) => s.reveal()), new Date(at));
      return postNotification({ url: r.url, body: n.body, headers: { ...headers }, timeoutMs: r.timeoutMs, stop: this.stopping.signal });
    }
    const basicAuth = r.basicAuth ? { username: r.basicAuth.username, password: r.basicAuth.password.reveal() } : undefined;
    return postNotification({ url: alertmanagerAlertsUrl(r.url), body: n.body, basicAuth, timeoutMs: r.timeoutMs, stop: this.stopping.signal });
  }

  private async deliver(n: ClaimedNotification): Promise<void> {
    const store = this.opts.store;
    const r = this.receivers.get(n.receiver);
    const at = this.now();
    // Claims are only for this worker's receivers.
    if (!r) return;
    const res = await this.send(n, r, at);
    if (this.dead) return;
    if (res.stopped) {
      await releaseClaims(store, [n.id]);
      return;
    }
    const attempt = n.attempts + 1;
    const verdict = judgeAttempt(res, attempt, r, at + res.latencyMs, this.random);
    const retryAt = verdict.kind === "retry" ? at + res.latencyMs + verdict.delayMs : null;
    const record = { at, code: res.code, latencyMs: res.latencyMs, error: verdict.kind === "delivered" ? null : (res.error ?? null), retryAt };
    const state = verdict.kind === "delivered" ? "delivered" : verdict.kind === "retry" ? "pending" : "dead";
    const note = verdict.kind === "dead" ? `dead: ${verdict.reason}` : undefined;
    const written = await recordAttempt(store, n.id, { attempt: record, state, note });
    if (!written) return;
    countNotification(n.receiver, verdict.kind === "retry" ? "retried" : verdict.kind);
    if (verdict.kind === "dead") this.opts.log?.("error", `[alerting] notification #${n.id} (${n.webhookId}) to ${n.receiver} dead-lettered: ${verdict.reason}`);
  }
}

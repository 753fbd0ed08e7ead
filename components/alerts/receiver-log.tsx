"use client";

import { when } from "@/components/admin/when";
import { rowClass, tableClass, tdClass, thClass, theadClass } from "@/components/ui/table-classes";
import { formatMs } from "@/lib/format";
import type { RouterOutputs } from "@/lib/trpc/types";
import { NotificationStateBadge } from "./severity-badge";
import { SendTestButton } from "./send-test-button";

type Receiver = RouterOutputs["alerts"]["receivers"]["receivers"][number];
type Notification = Receiver["notifications"][number];

const code = (c: number | null, error: string | null) => (c !== null ? String(c) : error ? "no answer" : "—");

/** One receiver: where it sends (never its credentials), its counts, and its delivery log, newest first. */
export function ReceiverLog({ r, canTest }: { r: Receiver; canTest: boolean }) {
  const facts = [
    r.type === "alertmanager" ? "Alertmanager API v2" : `webhook, ${r.format === "slack" ? "Slack body" : "Alertmanager webhook body"}`,
    r.type === "webhook" ? (r.signingSecrets ? `signed (${r.signingSecrets} secret${r.signingSecrets > 1 ? "s" : ""})` : "unsigned") : r.basicAuth ? "basic auth" : null,
    r.type === "webhook" && !r.sendResolved ? "no resolve notifications" : null,
    `timeout ${r.timeoutMs / 1000} s, up to ${r.maxAttempts} attempts`,
  ].filter(Boolean);
  return (
    <article className="space-y-3 rounded-lg border border-slate-800 bg-slate-900/60 p-4" data-testid="receiver" data-receiver={r.name}>
      <header className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <h3 className="font-medium text-slate-100">{r.name}</h3>
        <span className="font-mono text-xs text-slate-400" data-testid="receiver-url">
          {r.url}
        </span>
        <span className="text-xs text-slate-400">{facts.join(" · ")}</span>
        <span className="ml-auto text-xs text-slate-400 tabular-nums" data-testid="receiver-counts">
          {r.counts.delivered} delivered · {r.counts.pending} pending · <span className={r.counts.dead ? "font-semibold text-red-300" : ""}>{r.counts.dead} dead</span> ·{" "}
          {r.counts.silenced} silenced
        </span>
        {canTest && <SendTestButton receiver={r.name} />}
      </header>
      {r.queued.length === 0 && r.notifications.length === 0 ? (
        <p className="text-sm text-slate-500">Nothing sent to {r.name} yet.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className={tableClass} data-testid="delivery-log">
            <thead className={theadClass}>
              <tr>
                <th className={thClass}>Created</th>
                <th className={thClass}>State</th>
                <th className={thClass}>Notification</th>
                <th className={thClass}>Attempts</th>
                <th className={thClass}>Last code</th>
                <th className={thClass}>Latency</th>
                <th className={thClass}>Next retry</th>
                <th className={thClass}>Note</th>
              </tr>
            </thead>
            <tbody>
              {r.queued.map((q) => (
                <tr key={`q${q.eventId}`} className={rowClass} data-testid="delivery-row" data-state="queued" data-event-id={q.eventId}>
                  <td className={`${tdClass} whitespace-nowrap tabular-nums`}>{when(q.at)}</td>
                  <td className={tdClass}>
                    <NotificationStateBadge state="queued" />
                  </td>
                  <td className={tdClass}>
                    {q.status === "resolved" ? "resolved: " : ""}
                    {q.alertname} <span className="text-slate-400">{q.summary}</span>
                  </td>
                  <td className={tdClass}>0</td>
                  <td className={tdClass}>—</td>
                  <td className={tdClass}>—</td>
                  <td className={tdClass}>—</td>
                  <td className={`${tdClass} text-slate-400`}>alert event #{q.eventId}, not yet routed to this receiver</td>
                </tr>
              ))}
              {r.notifications.map((n) => (
                <NotificationRow key={n.id} n={n} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </article>
  );
}

function NotificationRow({ n }: { n: Notification }) {
  const dead = n.state === "dead";
  return (
    <tr className={`${rowClass} ${dead ? "bg-red-950/40" : ""}`} data-testid="delivery-row" data-state={n.state} data-webhook-id={n.webhookId}>
      <td className={`${tdClass} whitespace-nowrap tabular-nums`}>{when(n.createdAt)}</td>
      <td className={tdClass}>
        <NotificationStateBadge state={n.state} />
      </td>
      <td className={tdClass}>
        <span>{n.title}</span>
        <span className="block font-mono text-xs text-slate-500">{n.webhookId}</span>
        {n.log.length > 0 && (
          <details className="mt-1 text-xs">
            <summary className="cursor-pointer text-slate-400 hover:text-slate-200">Attempts ({n.log.length})</summary>
            <ol className="mt-1 space-y-0.5 text-slate-300" data-testid="delivery-attempts">
              {n.log.map((a, i) => (
                <li key={i} className="tabular-nums">
                  {i + 1}. {when(a.at)} — {code(a.code, a.error)} in {formatMs(a.latencyMs)}
                  {a.error ? `: ${a.error}` : ""}
                  {a.retryAt !== null ? `; retry at ${when(a.retryAt)}` : ""}
                </li>
              ))}
            </ol>
          </details>
        )}
      </td>
      <td className={`${tdClass} tabular-nums`}>{n.attempts}</td>
      <td className={`${tdClass} tabular-nums`}>{code(n.lastCode, n.lastError)}</td>
      <td className={`${tdClass} tabular-nums`}>{formatMs(n.lastLatencyMs)}</td>
      <td className={`${tdClass} whitespace-nowrap tabular-nums`}>{n.state === "pending" ? when(n.nextAttemptAt) : "—"}</td>
      <td className={`${tdClass} ${dead ? "text-red-200" : "text-slate-300"}`}>
        {n.note ?? (n.deliveredAt !== null ? `delivered ${when(n.deliveredAt)}` : "")}
        {n.lastError && n.state !== "delivered" && <span className="block text-xs text-slate-400">{n.lastError}</span>}
      </td>
    </tr>
  );
}

"use client";

import Link from "next/link";
import { useState } from "react";
import { rowClass, tableClass, tdClass, thClass, theadClass } from "@/components/ui/table-classes";
import { ACTION_KIND_LABEL, describeTarget, isInFlight, type ActionView } from "@/lib/actions";
import { ActionStatePill, utc } from "./action-state";
import { ApproveDialog } from "./approve-dialog";
import { DecideButton } from "./decide-button";
import { primaryButton } from "./modal";
import { useActionRights } from "./use-action-rights";
import { useLiveActions } from "./use-live-actions";

/**
 * Requests waiting for a second person, actions in progress and recent outcomes, pushed live.
 * Approvers see Approve/Reject on other people's requests; requesters may cancel their own.
 */
export function ApprovalsInbox() {
  const rights = useActionRights();
  const { actions, error, live } = useLiveActions();
  const [approving, setApproving] = useState<ActionView | null>(null);
  const pending = (actions ?? []).filter((a) => a.state === "requested");
  const running = (actions ?? []).filter((a) => isInFlight(a.state) && a.state !== "requested");
  const recent = (actions ?? []).filter((a) => !isInFlight(a.state)).slice(0, 20);

  return (
    <div className="space-y-8" data-testid="approvals-inbox" data-live={live}>
      {error && <p className="text-sm text-red-300">Could not load actions: {error}</p>}
      <section aria-labelledby="pending-h" className="space-y-2">
        <h2 id="pending-h" className="font-semibold text-slate-100">
          Waiting for approval <span className="text-slate-400">({pending.length})</span>
        </h2>
        {pending.length === 0 ? (
          <p className="text-sm text-slate-400" data-testid="inbox-empty">
            Nothing waiting.
          </p>
        ) : (
          <ul className="space-y-3">
            {pending.map((a) => {
              const mine = a.requester.id === rights.userId;
              return (
                <li key={a.id} className="rounded-lg border border-amber-800/60 bg-slate-900/60 p-4" data-testid={`inbox-request-${a.id}`}>
                  <div className="flex flex-wrap items-center gap-3">
                    <Link href={`/actions/${a.id}`} className="font-mono text-sky-300 hover:underline">
                      #{a.id}
                    </Link>
                    <span className="font-medium">{ACTION_KIND_LABEL[a.kind]}</span>
                    <span className="text-slate-300">{describeTarget(a)}</span>
                    <ActionStatePill state={a.state} />
                  </div>
                  <p className="mt-1 text-sm text-slate-300">
                    {a.requester.name}: “{a.reason}” · requested {utc(a.requestedAt)} · expires {utc(a.expiresAt)} · preflight{" "}
                    {a.preflight?.ok ? <span className="text-emerald-300">passed</span> : <span className="text-red-300">refused</span>}
                  </p>
                  <div className="mt-3 flex flex-wrap gap-2">
                    {rights.mayApprove && !mine && (
                      <>
                        <button type="button" className={primaryButton} onClick={() => setApproving(a)} data-testid={`approve-${a.id}`}>
                          Approve…
                        </button>
                        <DecideButton id={a.id} verb="reject" testId={`reject-${a.id}`} />
                      </>
                    )}
                    {mine && (
                      <>
                        <span className="self-center text-sm text-slate-400">Your request: someone else must approve it.</span>
                        <DecideButton id={a.id} verb="cancel" testId={`cancel-${a.id}`} />
                      </>
                    )}
                  </div>
                </li>
              );
            })}
          </ul>
        )}
      </section>

      <ActionTable title="In progress" id="running-h" actions={running} testId="inbox-running" />
      <ActionTable title="Recent outcomes" id="recent-h" actions={recent} testId="inbox-recent" />
      {approving && <ApproveDialog action={approving} onClose={() => setApproving(null)} />}
    </div>
  );
}

function ActionTable({ title, id, actions, testId }: { title: string; id: string; actions: ActionView[]; testId: string }) {
  return (
    <section aria-labelledby={id} className="space-y-2">
      <h2 id={id} className="font-semibold text-slate-100">
        {title}
      </h2>
      {actions.length === 0 ? (
        <p className="text-sm text-slate-400">None.</p>
      ) : (
        <table className={tableClass} data-testid={testId}>
          <thead className={theadClass}>
            <tr>
              <th className={thClass}>#</th>
              <th className={thClass}>Action</th>
              <th className={thClass}>State</th>
              <th className={thClass}>Requested by</th>
              <th className={thClass}>Approved by</th>
              <th className={thClass}>Outcome</th>
            </tr>
          </thead>
          <tbody>
            {actions.map((a) => (
              <tr key={a.id} className={rowClass}>
                <td className={tdClass}>
                  <Link href={`/actions/${a.id}`} className="font-mono text-sky-300 hover:underline">
                    {a.id}
                  </Link>
                </td>
                <td className={tdClass}>{describeTarget(a)}</td>
                <td className={tdClass}>
                  <ActionStatePill state={a.state} />
                </td>
                <td className={tdClass}>{a.requester.name}</td>
                <td className={tdClass}>{a.approver?.name ?? a.decidedBy?.name ?? "—"}</td>
                <td className={`${tdClass} max-w-md text-slate-300`}>{a.outcome ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

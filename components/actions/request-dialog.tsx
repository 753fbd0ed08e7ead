"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { ACTION_KIND_LABEL, describeTarget, type ActionTarget } from "@/lib/actions";
import { useTRPC } from "@/lib/trpc/client";
import { ActionStatePill } from "./action-state";
import { DialogButtons } from "./dialog-buttons";
import { Modal, inputClass, primaryButton, quietButton } from "./modal";
import { PreflightChecks } from "./preflight-checks";

/**
 * The confirm dialog: the preflight runs when it opens and its result is shown; the operator gives a
 * reason (and for a switchover, optionally a time) and records the request. A double-click or retry
 * sends the same client request id, so it is recorded once.
 */
export function RequestDialog({ target, onClose }: { target: ActionTarget; onClose: () => void }) {
  const trpc = useTRPC();
  const [clientRequestId] = useState(() => crypto.randomUUID());
  const pre = useQuery(trpc.actions.preflight.queryOptions(target, { staleTime: 0, gcTime: 0, refetchOnWindowFocus: false, retry: false }));
  const submit = useMutation(trpc.actions.request.mutationOptions());
  const [reason, setReason] = useState("");
  const [when, setWhen] = useState("");

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!pre.data) return;
    submit.mutate({
      ...target,
      ...(pre.data.leader && (target.kind === "patroni_switchover" || target.kind === "sentinel_failover") ? { expectedLeader: pre.data.leader } : {}),
      ...(when ? { scheduledAt: new Date(when).toISOString() } : {}),
      reason,
      clientRequestId,
    });
  }

  const done = submit.data?.action;
  return (
    <Modal title={ACTION_KIND_LABEL[target.kind]} onClose={onClose} testId="request-dialog">
      <p className="mb-3 text-sm text-slate-300">{describeTarget({ ...target, node: target.node ?? null, expectedLeader: pre.data?.leader ?? target.expectedLeader ?? null })}</p>
      {done ? (
        <div className="space-y-3" data-testid="request-result" data-state={done.state} data-action-id={done.id}>
          <p className="flex items-center gap-2 text-sm">
            Request <span className="font-mono">#{done.id}</span> <ActionStatePill state={done.state} />
          </p>
          {done.state === "requested" ? (
            <p className="text-sm text-slate-300">
              Recorded. A second person with the approver role must approve it within the approval window (until{" "}
              {new Date(done.expiresAt).toISOString().slice(11, 19)} UTC); it runs as soon as they do.
            </p>
          ) : (
            <p className="text-sm text-red-200">{done.outcome}</p>
          )}
          {done.preflight && <PreflightChecks result={done.preflight} testId="request-preflight" />}
          <div className="flex gap-2">
            <Link href={`/actions/${done.id}`} className={primaryButton} data-testid="request-follow">
              Follow it
            </Link>
            <button type="button" className={quietButton} onClick={onClose}>
              Close
            </button>
          </div>
        </div>
      ) : (
        <form onSubmit={onSubmit} className="space-y-4">
          <div className="rounded border border-slate-800 bg-slate-950/60 p-3">
            {pre.isPending && <p className="text-sm text-slate-400">Running the preflight…</p>}
            {pre.error && <p className="text-sm text-red-300">Preflight could not run: {pre.error.message}</p>}
            {pre.data && <PreflightChecks result={pre.data} />}
            <button type="button" className={`${quietButton} mt-3`} onClick={() => void pre.refetch()} disabled={pre.isFetching}>
              {pre.isFetching ? "Checking…" : "Run the preflight again"}
            </button>
          </div>
          <div>
            <label htmlFor="action-reason" className="block text-sm text-slate-300">
              Reason (recorded in the audit log)
            </label>
            <textarea id="action-reason" required minLength={5} maxLength={1000} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} className={inputClass} />
          </div>
          {target.kind === "patroni_switchover" && (
            <div>
              <label htmlFor="action-when" className="block text-sm text-slate-300">
                Scheduled time (optional; your local time, sent as UTC)
              </label>
              <input id="action-when" type="datetime-local" value={when} onChange={(e) => setWhen(e.target.value)} className={inputClass} />
            </div>
          )}
          {submit.error && <p className="text-sm text-red-300">{submit.error.message}</p>}
          <DialogButtons submitClass={primaryButton} disabled={!pre.data?.ok || submit.isPending || reason.trim().length < 5} pending={submit.isPending} label="Request (needs a second person's approval)" pendingLabel="Requesting…" testId="request-submit" onCancel={onClose} />
        </form>
      )}
    </Modal>
  );
}

"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { usePathname, useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ACTION_KIND_LABEL, describeTarget, type ActionView } from "@/lib/actions";
import { useTRPC } from "@/lib/trpc/client";
import { utc } from "./action-state";
import { DialogButtons } from "./dialog-buttons";
import { Modal, dangerButton, inputClass } from "./modal";
import { PreflightChecks } from "./preflight-checks";

/**
 * The second person's approval, then it runs. The approver proves who they are by re-entering their
 * password; an account without one (single sign-on) approves within a few minutes of signing in.
 */
export function ApproveDialog({ action, onClose }: { action: ActionView; onClose: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const [password, setPassword] = useState("");
  const [comment, setComment] = useState("");
  const proof = useQuery(trpc.actions.approvalProof.queryOptions());
  const byPassword = proof.data?.by !== "fresh sign-in";
  const approve = useMutation(trpc.actions.approve.mutationOptions({ onSuccess: (a) => router.push(`/actions/${a.id}`) }));

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    approve.mutate({ id: action.id, ...(byPassword ? { password } : {}), ...(comment.trim() ? { comment: comment.trim() } : {}) });
  }

  return (
    <Modal title={`Approve #${action.id}: ${ACTION_KIND_LABEL[action.kind]}`} onClose={onClose} testId="approve-dialog">
      <dl className="mb-4 grid grid-cols-[8rem_1fr] gap-x-3 gap-y-1 text-sm">
        <dt className="text-slate-400">What</dt>
        <dd>{describeTarget(action)}</dd>
        <dt className="text-slate-400">Requested by</dt>
        <dd>
          {action.requester.name} at {utc(action.requestedAt)}
        </dd>
        <dt className="text-slate-400">Why</dt>
        <dd className="text-slate-200">{action.reason}</dd>
        <dt className="text-slate-400">Expires</dt>
        <dd>{utc(action.expiresAt)}</dd>
      </dl>
      {action.preflight && (
        <details className="mb-4 rounded border border-slate-800 p-3">
          <summary className="cursor-pointer text-sm text-slate-300">Preflight at request time (it runs again before anything is done)</summary>
          <div className="mt-2">
            <PreflightChecks result={action.preflight} testId="approve-preflight" />
          </div>
        </details>
      )}
      <form onSubmit={onSubmit} className="space-y-3">
        {byPassword ? (
          <div>
            <label htmlFor="approve-password" className="block text-sm text-slate-300">
              Your password (proves it is you approving)
            </label>
            <input
              id="approve-password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              className={inputClass}
              data-testid="approve-password"
            />
          </div>
        ) : (
          <p className="text-sm text-slate-300" data-testid="approve-fresh-sign-in">
            Your account signs in through single sign-on: approval needs a sign-in within the last {proof.data?.by === "fresh sign-in" ? proof.data.windowMinutes : 5} minutes.{" "}
            {/* A full navigation: the provider asks for the password again (prompt=login) and the new session starts now. */}
            <a href={`/api/sso/start?reauth=1&next=${encodeURIComponent(pathname)}`} className="text-sky-400 underline" data-testid="approve-reauth">
              Sign in again with single sign-on
            </a>
          </p>
        )}
        <div>
          <label htmlFor="approve-comment" className="block text-sm text-slate-300">
            Comment (optional, recorded)
          </label>
          <input id="approve-comment" value={comment} onChange={(e) => setComment(e.target.value)} maxLength={1000} className={inputClass} />
        </div>
        {approve.error && (
          <p className="text-sm text-red-300" role="alert">
            {approve.error.message}
          </p>
        )}
        <DialogButtons submitClass={dangerButton} disabled={approve.isPending || proof.isPending || (byPassword && password === "")} pending={approve.isPending} label="Approve and run it now" pendingLabel="Approving…" testId="approve-submit" onCancel={onClose} />
      </form>
    </Modal>
  );
}

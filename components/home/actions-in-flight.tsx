"use client";

import Link from "next/link";
import { ActionStatePill, utc } from "@/components/actions/action-state";
import { useLiveActions } from "@/components/actions/use-live-actions";
import { ACTION_KIND_LABEL, describeTarget, isInFlight } from "@/lib/actions";

/** Guarded actions not yet finished (waiting for approval, executing, verifying), pushed live. */
export function ActionsInFlight() {
  const { actions, error } = useLiveActions();
  const open = (actions ?? []).filter((a) => isInFlight(a.state));
  return (
    <div className="rounded-lg border border-slate-800 bg-slate-900/60 p-4" data-testid="home-actions" data-count={actions ? open.length : undefined}>
      {error && <p className="text-sm text-red-300">Could not load actions: {error}</p>}
      {!actions && !error && <p className="text-sm text-slate-400">Loading actions…</p>}
      {actions && open.length === 0 && <p className="text-sm text-slate-400">No guarded action in flight.</p>}
      {open.length > 0 && (
        <ul className="space-y-2">
          {open.map((a) => (
            <li key={a.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm" data-testid={`home-action-${a.id}`}>
              <Link href={`/actions/${a.id}`} className="font-mono text-sky-300 hover:underline">
                #{a.id}
              </Link>
              <ActionStatePill state={a.state} />
              <span className="font-medium text-slate-100">{ACTION_KIND_LABEL[a.kind]}</span>
              <span className="text-slate-300">{describeTarget(a)}</span>
              <span className="text-xs text-slate-400">
                by {a.requester.name}, {utc(a.requestedAt)}
              </span>
            </li>
          ))}
        </ul>
      )}
      <p className="mt-3 text-xs">
        <Link href="/approvals" className="text-sky-300 underline-offset-2 hover:underline">
          Approvals and recent outcomes →
        </Link>
      </p>
    </div>
  );
}

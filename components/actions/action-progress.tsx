"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { ACTION_KIND_LABEL, describeTarget, type ActionView } from "@/lib/actions";
import { useTRPC } from "@/lib/trpc/client";
import { ActionStatePill, secs, utc } from "./action-state";
import { DecideButton } from "./decide-button";
import { PreflightChecks } from "./preflight-checks";
import { useActionRights } from "./use-action-rights";
import { useLiveActions } from "./use-live-actions";

type StepState = "done" | "current" | "pending" | "failed" | "skipped";
const STEP_ICON: Record<StepState, { icon: string; cls: string }> = {
  done: { icon: "✔", cls: "border-emerald-700 text-emerald-300" },
  current: { icon: "◌", cls: "border-amber-600 text-amber-300 animate-pulse" },
  pending: { icon: "○", cls: "border-slate-700 text-slate-500" },
  failed: { icon: "✖", cls: "border-red-700 text-red-300" },
  skipped: { icon: "–", cls: "border-slate-800 text-slate-600" },
};

interface Step {
  key: string;
  title: string;
  state: StepState;
  at: number | null;
  took?: number;
  body?: React.ReactNode;
}

function steps(a: ActionView): Step[] {
  const ended = ["refused", "expired", "rejected", "cancelled"].includes(a.state);
  const approvalState: StepState = a.approvedAt !== null ? "done" : a.state === "requested" ? "current" : ended ? "failed" : "pending";
  const execState: StepState =
    a.executingAt === null ? (a.approvedAt !== null && a.state === "refused" ? "failed" : a.state === "approved" ? "current" : ended ? "skipped" : "pending")
    : a.state === "executing" ? "current" : a.verifyingAt !== null ? "done" : "failed";
  const verifyState: StepState =
    a.verifyingAt === null ? (ended || a.state === "failed" ? "skipped" : "pending")
    : a.state === "verifying" ? "current" : a.state === "succeeded" ? "done" : "failed";
  return [
    {
      key: "request",
      title: `Requested by ${a.requester.name}`,
      state: a.state === "refused" && a.approvedAt === null ? "failed" : "done",
      at: a.requestedAt,
      body: <p className="text-sm text-slate-300">“{a.reason}”</p>,
    },
    {
      key: "approval",
      title: a.approver ? `Approved by ${a.approver.name}` : a.decidedBy ? `${a.state === "rejected" ? "Rejected" : "Cancelled"} by ${a.decidedBy.name}` : a.state === "expired" ? "Not approved in time" : "Waiting for a second person",
      state: approvalState,
      at: a.approvedAt,
      took: a.durations.approval,
      body: a.decidedBy ? <p className="text-sm text-slate-300">“{a.decidedBy.reason}”</p> : undefined,
    },
    { key: "execution", title: "Execution: preflight again, then the component's own API", state: execState, at: a.executingAt, took: a.durations.execution },
    { key: "verification", title: "Verification", state: verifyState, at: a.verifyingAt, took: a.durations.verification },
  ];
}

/** One action, phase by phase, live. */
export function ActionProgress({ id }: { id: number }) {
  const trpc = useTRPC();
  const rights = useActionRights();
  const { actions } = useLiveActions();
  const fromList = actions?.find((a) => a.id === id);
  // Older than the live list: read it on its own, and again while it is not final.
  const single = useQuery(trpc.actions.get.queryOptions({ id }, { enabled: actions !== undefined && !fromList, refetchInterval: 2_000 }));
  const a = fromList ?? single.data;
  if (!a) return <p className="text-sm text-slate-400">{single.error ? single.error.message : "Loading…"}</p>;

  return (
    <div className="space-y-6" data-testid="action-progress" data-state={a.state}>
      <header className="space-y-1">
        <h1 className="flex flex-wrap items-center gap-3 text-xl font-semibold">
          <span className="font-mono">#{a.id}</span> {ACTION_KIND_LABEL[a.kind]} <ActionStatePill state={a.state} testId="action-state" />
          {a.watching && (
            <span className="text-sm font-normal text-amber-300" data-testid="action-watching">
              still watching
            </span>
          )}
        </h1>
        <p className="text-slate-300">{describeTarget(a)}</p>
      </header>

      <ol className="space-y-4">
        {steps(a).map((s) => (
          <li key={s.key} className="flex gap-3" data-testid={`phase-${s.key}`} data-phase-state={s.state}>
            <span aria-hidden="true" className={`flex h-7 w-7 shrink-0 items-center justify-center rounded-full border ${STEP_ICON[s.state].cls}`}>
              {STEP_ICON[s.state].icon}
            </span>
            <div className="min-w-0">
              <p className="font-medium text-slate-100">
                {s.title} <span className="sr-only">({s.state})</span>
              </p>
              <p className="text-xs text-slate-400 tabular-nums">
                {s.at !== null ? utc(s.at) : "—"}
                {s.took !== undefined && ` · took ${secs(s.took)}`}
              </p>
              {s.body}
            </div>
          </li>
        ))}
      </ol>

      <section aria-labelledby="outcome-h" className="rounded-lg border border-slate-800 bg-slate-900/60 p-4">
        <h2 id="outcome-h" className="text-sm font-semibold tracking-wider text-slate-400 uppercase">
          Outcome
        </h2>
        <p className="mt-1 text-slate-100" data-testid="action-outcome">
          {a.outcome ?? (a.state === "requested" ? "Not approved yet." : "In progress…")}
        </p>
        {a.newTimeline !== null && (
          <p className="mt-1 text-sm text-slate-300" data-testid="action-timeline">
            New Patroni timeline: <span className="font-mono">{a.newTimeline}</span>
          </p>
        )}
        {a.finishedAt !== null && <p className="mt-1 text-xs text-slate-400">Finished {utc(a.finishedAt)}</p>}
      </section>

      {a.state === "requested" && a.requester.id === rights.userId && <DecideButton id={a.id} verb="cancel" testId="progress-cancel" />}
      {a.preflight && (
        <details className="rounded border border-slate-800 p-3">
          <summary className="cursor-pointer text-sm text-slate-300">Last preflight ({utc(a.preflight.at)})</summary>
          <div className="mt-2">
            <PreflightChecks result={a.preflight} testId="progress-preflight" />
          </div>
        </details>
      )}
      <Link href="/approvals" className="text-sm text-sky-300 hover:underline">
        ← Approvals
      </Link>
    </div>
  );
}

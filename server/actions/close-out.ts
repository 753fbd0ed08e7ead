/**
 * How an action that can no longer proceed is closed, in one place. A request nobody approved in
 * time expires. One past approval is closed honestly: `failed` when nothing was sent yet (it was
 * only approved), `unknown` once the component was told (executing or verifying).
 */
import { STARTED_STATES, type ActionState } from "@/lib/actions";

/** Why the action is being closed. */
export type CloseOutCause = "approval_window_ended" | "owner_stopped_reporting" | "shutdown" | "internal_error";

export interface CloseOut {
  to: "expired" | "failed" | "unknown";
  event: "expire" | "outcome";
  outcome: string;
}

export const EXPIRED_OUTCOME = "no approval within the approval window";
export const SHUTDOWN_OUTCOME_EXECUTED = "interrupted by shutdown; outcome unknown: the dashboard stopped while following it; check the component";
export const SHUTDOWN_OUTCOME_NOT_EXECUTED = "interrupted by shutdown before it was executed (nothing was sent)";

const OUTCOMES: Record<Exclude<CloseOutCause, "approval_window_ended">, { executed: string; notExecuted: string }> = {
  owner_stopped_reporting: {
    executed: "outcome unknown: the dashboard process running it stopped reporting; check the component",
    notExecuted: "not executed: the dashboard process stopped before executing it (nothing was sent)",
  },
  shutdown: { executed: SHUTDOWN_OUTCOME_EXECUTED, notExecuted: SHUTDOWN_OUTCOME_NOT_EXECUTED },
  internal_error: {
    executed: "outcome unknown: an internal error stopped the dashboard following it; check the component",
    notExecuted: "not executed: an internal error stopped it (nothing was sent)",
  },
};

const isStarted = (s: ActionState) => (STARTED_STATES as readonly ActionState[]).includes(s);

/** The close-out of an action in `state` for `cause`; null when that cause does not close an action in that state. */
export function closeOut(state: ActionState, cause: CloseOutCause): CloseOut | null {
  if (cause === "approval_window_ended") return state === "requested" ? { to: "expired", event: "expire", outcome: EXPIRED_OUTCOME } : null;
  if (!isStarted(state)) return null;
  const executed = state !== "approved";
  return { to: executed ? "unknown" : "failed", event: "outcome", outcome: executed ? OUTCOMES[cause].executed : OUTCOMES[cause].notExecuted };
}

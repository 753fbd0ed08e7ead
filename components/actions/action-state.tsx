import { TonePill } from "@/components/ui/tone-pill";
import type { ActionState } from "@/lib/actions";
import type { Tone } from "@/lib/tone";

const TONE: Record<ActionState, Tone> = {
  requested: "warn",
  approved: "warn",
  executing: "warn",
  verifying: "warn",
  succeeded: "good",
  failed: "bad",
  unknown: "unknown",
  refused: "bad",
  expired: "neutral",
  rejected: "neutral",
  cancelled: "neutral",
};

/** The action's state as a word with a colour and an icon. */
export function ActionStatePill({ state, testId }: { state: ActionState; testId?: string }) {
  return (
    <TonePill tone={TONE[state]} testId={testId}>
      {state.toUpperCase()}
    </TonePill>
  );
}

export const utc = (ms: number | null) => (ms === null ? "—" : `${new Date(ms).toISOString().replace("T", " ").slice(0, 19)} UTC`);
export const secs = (ms: number | undefined) => (ms === undefined ? "—" : ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`);

import { TonePill } from "@/components/ui/tone-pill";
import type { AlertSeverity, NotificationState } from "@/lib/alerts";
import type { Tone } from "@/lib/tone";

const SEVERITY_TONE: Record<AlertSeverity, Tone> = { critical: "bad", warning: "warn", info: "neutral" };
const STATE_TONE: Record<NotificationState, Tone> = { delivered: "good", pending: "warn", dead: "bad", silenced: "unknown" };

export function SeverityBadge({ severity }: { severity: AlertSeverity }) {
  return (
    <TonePill tone={SEVERITY_TONE[severity] ?? "unknown"} testId="alert-severity">
      {severity}
    </TonePill>
  );
}

/** A notification's state; a dead letter reads "dead letter" so it is not taken for a down receiver. */
export function NotificationStateBadge({ state }: { state: NotificationState | "queued" }) {
  if (state === "queued") return <TonePill tone="neutral" testId="notification-state">queued</TonePill>;
  return (
    <TonePill tone={STATE_TONE[state] ?? "unknown"} testId="notification-state">
      {state === "dead" ? "dead letter" : state}
    </TonePill>
  );
}

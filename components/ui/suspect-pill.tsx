import type { Suspect } from "@/lib/health";
import { suspectLabel } from "@/lib/tone";
import { TonePill } from "./tone-pill";

/** A change seen but not yet confirmed ("DOWN 1/3"), beside the confirmed status, so hysteresis never hides a fault. */
export function SuspectPill({ suspect, testId }: { suspect: Pick<Suspect, "status" | "count" | "needed">; testId?: string }) {
  return (
    <TonePill tone="warn" testId={testId}>
      {suspectLabel(suspect)}
    </TonePill>
  );
}

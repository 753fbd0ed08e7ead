import type { Status } from "@/lib/status";
import { STATUS_TONE, STATUS_WORD } from "@/lib/tone";
import { TonePill } from "./tone-pill";

export function StatusBadge({ status, testId }: { status: Status; testId?: string }) {
  return (
    <TonePill tone={STATUS_TONE[status]} testId={testId}>
      {STATUS_WORD[status]}
    </TonePill>
  );
}

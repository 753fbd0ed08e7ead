import type { Status } from "@/lib/status";
import { STATUS_TONE } from "@/lib/tone";
import { TonePill } from "./tone-pill";

const LABEL: Record<Status, string> = {
  UP: "UP",
  DOWN: "DOWN",
  DEGRADED: "DEGRADED",
  STALE: "STALE",
  NO_DATA: "NO DATA",
};

export function StatusBadge({ status, testId }: { status: Status; testId?: string }) {
  return (
    <TonePill tone={STATUS_TONE[status]} testId={testId}>
      {LABEL[status]}
    </TonePill>
  );
}

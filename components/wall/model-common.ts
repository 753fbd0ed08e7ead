/**
 * What every wall panel model shares: the pending-change view and the pieces of `sig`, a cheap string
 * of exactly the fields a row renders, so memoised rows skip rendering when a snapshot changed nothing they show.
 */
import type { Status } from "@/lib/status";

/** A pending change not yet confirmed by hysteresis, e.g. DOWN 1/3: always shown. */
export interface SuspectView {
  status: Status;
  count: number;
  needed: number;
}


export const SEP = "\u001f";

export function suspectOf(s: { status: Status; count: number; needed: number } | null | undefined): SuspectView | null {
  return s ? { status: s.status, count: s.count, needed: s.needed } : null;
}

export const suspectSig = (s: SuspectView | null) => (s ? `${s.status}${s.count}/${s.needed}` : "");


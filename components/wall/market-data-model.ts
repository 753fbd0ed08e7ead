/** The market-data panel: age of the last update and whether trading is enabled. */
import type { Snapshot } from "@/lib/snapshot";
import type { Status } from "@/lib/status";
import { SEP, suspectOf, suspectSig, type SuspectView } from "./model-common";
import { unitsOfKind } from "@/lib/unit-data";

export interface MarketDataModel {
  id: string;
  name: string;
  status: Status;
  suspect: SuspectView | null;
  ageSeconds: number | null;
  tradingEnabled: boolean | null;
  sig: string;
}

export function marketDataModels(s: Snapshot): MarketDataModel[] {
  return unitsOfKind(s, "marketdata")
    .map<MarketDataModel>((u) => {
      const d = u.data;
      const suspect = suspectOf(u.suspect);
      const ageSeconds = d?.ageSeconds ?? null;
      return {
        id: u.targetId,
        name: u.label,
        status: u.status,
        suspect,
        ageSeconds,
        tradingEnabled: d?.tradingEnabled ?? null,
        sig: [u.label, u.status, suspectSig(suspect), ageSeconds === null ? "" : ageSeconds.toFixed(1), d?.tradingEnabled].join(SEP),
      };
    });
}

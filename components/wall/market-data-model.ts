/** The market-data panel: age of the last update and whether trading is enabled. */
import type { Snapshot } from "@/lib/snapshot";
import type { Status } from "@/lib/status";
import type { MarketData } from "@/server/collectors/types";
import { SEP, dataOf, suspectOf, suspectSig, type SuspectView } from "./model-common";

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
  return s.units
    .filter((u) => u.kind === "marketdata")
    .map<MarketDataModel>((u) => {
      const d = dataOf<MarketData>(u);
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

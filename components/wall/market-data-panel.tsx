import { memo } from "react";
import type { MarketDataModel } from "./market-data-model";
import { statusTone, TONE_TEXT } from "./tone";
import { SuspectChip, ToneWord, WallStatus } from "./wall-status";

function age(s: number | null): string {
  if (s === null) return "no key";
  return s < 10 ? s.toFixed(1) : String(Math.round(s));
}

/** How old the latest market data is: the one number a trading floor asks about first. */
export const MarketDataRow = memo(
  function MarketDataRow({ check }: { check: MarketDataModel; sig: string }) {
    const tone = statusTone(check.status);
    return (
      <article className="flex min-w-0 items-center gap-[0.8rem]" data-testid={`wall-market-data-${check.id}`} data-status={check.status}>
        <div className="min-w-0 flex-1">
          <h3 className="truncate text-[1.05rem] font-semibold text-slate-200">{check.name}</h3>
          <div className="flex flex-wrap items-baseline gap-x-[0.8rem] text-[1rem]">
            {check.suspect ? <SuspectChip suspect={check.suspect} /> : <WallStatus status={check.status} />}
            {check.tradingEnabled !== null && (
              <ToneWord tone={check.tradingEnabled ? "good" : "bad"}>trading {check.tradingEnabled ? "enabled" : "DISABLED"}</ToneWord>
            )}
          </div>
        </div>
        <p className={`shrink-0 text-right font-bold tabular-nums ${TONE_TEXT[tone === "good" ? "neutral" : tone]}`}>
          <span className="inline-block min-w-[3ch] text-[2.6rem] leading-none" data-testid={`wall-market-data-age-${check.id}`}>
            {age(check.ageSeconds)}
          </span>
          {check.ageSeconds !== null && <span className="ml-[0.2rem] text-[1.2rem] text-slate-300">s old</span>}
        </p>
      </article>
    );
  },
  (a, b) => a.sig === b.sig,
);

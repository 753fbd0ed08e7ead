import { memo } from "react";
import { haproxyStatusTone, type Tone } from "@/lib/tone";
import type { HaproxyModel } from "./haproxy-model";
import { SuspectChip, ToneWord, WallStatus } from "./wall-status";

/**
 * A server DOWN in a backend that is UP is often by design (pg_rw has one writable primary), so it is
 * shown in a quiet tone, still with its icon and word; the SLA tiles say whether it matters.
 */
function serverTone(server: string, backendUp: boolean): Tone {
  const tone = haproxyStatusTone(server);
  return tone === "bad" && backendUp ? "neutral" : tone;
}

/** HAProxy backends: their state, how many servers are UP, and each server's state. */
export const HaproxyPanel = memo(
  function HaproxyPanel({ lb, showName }: { lb: HaproxyModel; showName: boolean; sig: string }) {
    return (
      <article className="min-w-0" data-testid={`wall-haproxy-${lb.id}`} data-status={lb.status}>
        {showName && (
          <header className="mb-[0.2rem] flex items-baseline gap-[0.6rem]">
            <h3 className="min-w-0 flex-1 truncate text-[1.1rem] font-semibold text-slate-100">{lb.name}</h3>
            {lb.suspect ? <SuspectChip suspect={lb.suspect} className="text-[0.95rem]" /> : <WallStatus status={lb.status} className="text-[1rem]" />}
          </header>
        )}
        <ul className="space-y-[0.3rem]" aria-label={`${lb.name} backends`}>
          {lb.backends.map((b) => {
            const backendUp = haproxyStatusTone(b.status) === "good";
            return (
              <li key={b.name} className="border-t border-slate-800 pt-[0.25rem] first:border-t-0 first:pt-0" data-testid={`wall-backend-${lb.id}-${b.name}`} data-status={b.status}>
                <div className="flex items-baseline gap-[0.8rem]">
                  <span className="min-w-0 flex-1 truncate text-[1.25rem] font-semibold text-slate-100">{b.name}</span>
                  <span className="text-[1rem] text-slate-300 tabular-nums">
                    {b.up}/{b.servers.length} servers UP
                  </span>
                  <ToneWord tone={haproxyStatusTone(b.status)} className="w-[6rem] justify-end text-[1.25rem]">
                    {b.status || "?"}
                  </ToneWord>
                </div>
                <div className="flex min-w-0 flex-wrap gap-x-[1.1rem] text-[1rem]">
                  {b.servers.map((s) => {
                    const tone = serverTone(s.status, backendUp);
                    return (
                      <span key={s.name} className="whitespace-nowrap" data-testid={`wall-server-${lb.id}-${b.name}-${s.name}`}>
                        <span className="text-slate-200">{s.name}</span> <ToneWord tone={tone} quiet={tone !== haproxyStatusTone(s.status)}>{s.status}</ToneWord>
                      </span>
                    );
                  })}
                </div>
              </li>
            );
          })}
          {lb.backends.length === 0 && <li className="text-[1rem] text-slate-300">no backends reported</li>}
        </ul>
      </article>
    );
  },
  (a, b) => a.sig === b.sig && a.showName === b.showName,
);

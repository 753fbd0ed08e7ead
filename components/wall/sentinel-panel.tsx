import { memo } from "react";
import type { SentinelModel } from "./sentinel-model";
import { Caption } from "./wall-panel";
import { SuspectChip, ToneWord, WallStatus } from "./wall-status";

/** A Sentinel group: the master the sentinels name, whether they agree and have quorum, the replicas. */
export const SentinelPanel = memo(
  function SentinelPanel({ group }: { group: SentinelModel; sig: string }) {
    return (
      <article className="min-w-0" data-testid={`wall-sentinel-${group.id}`} data-status={group.status}>
        <header className="mb-[0.3rem] flex items-baseline gap-[0.6rem]">
          <h3 className="min-w-0 flex-1 truncate text-[1.2rem] font-semibold text-slate-100">{group.name}</h3>
          {group.suspect ? <SuspectChip suspect={group.suspect} className="text-[1rem]" /> : <WallStatus status={group.status} className="text-[1.1rem]" />}
        </header>
        <div className="mb-[0.35rem] flex items-baseline gap-[0.8rem]">
          <Caption>Master</Caption>
          {group.master ? (
            <span className="truncate text-[1.8rem] leading-tight font-bold text-slate-50 tabular-nums" data-testid={`wall-sentinel-master-${group.id}`}>
              {group.master}
            </span>
          ) : (
            <ToneWord tone="bad" className="text-[1.6rem]">
              <span data-testid={`wall-sentinel-master-${group.id}`}>{group.sentinelsOk === 0 ? "unknown" : "disputed"}</span>
            </ToneWord>
          )}
        </div>
        <div className="grid grid-cols-[minmax(0,1fr)_minmax(0,1.1fr)] gap-x-[1.2rem]">
          <div className="min-w-0 space-y-[0.2rem]">
            <ul className="space-y-[0.15rem] text-[1.05rem] tabular-nums" aria-label="Sentinels">
              <li>
                <ToneWord tone={group.sentinelsOk === group.sentinelsTotal && group.sentinelsTotal > 0 ? "good" : group.sentinelsOk === 0 ? "bad" : "warn"}>
                  {group.sentinelsOk}/{group.sentinelsTotal} sentinels up
                </ToneWord>
              </li>
              <li>
                <ToneWord tone={group.agree ? "good" : "bad"}>{group.agree ? "agree on master" : "DISAGREE on master"}</ToneWord>
              </li>
              <li>
                <ToneWord tone={group.quorumOk === null ? "unknown" : group.quorumOk ? "good" : "bad"}>
                  quorum {group.quorumOk === null ? "unknown" : group.quorumOk ? "OK" : "NOT reachable"}
                </ToneWord>
              </li>
            </ul>
          </div>
          <div className="min-w-0">
            <table className="w-full border-collapse text-[1.1rem] tabular-nums">
              <caption className="sr-only">Redis instances</caption>
              <thead>
                <tr className="text-left">
                  <th scope="col" className="pb-[0.1rem] font-normal">
                    <Caption>Redis</Caption>
                  </th>
                  <th scope="col" className="pb-[0.1rem] font-normal">
                    <Caption>Role</Caption>
                  </th>
                  <th scope="col" className="pb-[0.1rem] font-normal">
                    <span className="sr-only">Status</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {group.redis.map((r) => (
                  <tr key={r.id} data-testid={`wall-redis-${r.id}`}>
                    <th scope="row" className="max-w-[6rem] truncate py-[0.1rem] pr-[0.5rem] text-left font-semibold text-slate-100">
                      {r.id}
                    </th>
                    <td className="py-[0.1rem] pr-[0.5rem] text-slate-300">{r.role === "slave" ? "replica" : (r.role ?? "—")}</td>
                    <td className="py-[0.1rem] text-right">{r.suspect ? <SuspectChip suspect={r.suspect} className="text-[0.95rem]" /> : <WallStatus status={r.status} />}</td>
                  </tr>
                ))}
                {group.redis.length === 0 &&
                  group.replicas.map((r) => (
                    <tr key={r.address}>
                      <th scope="row" className="truncate py-[0.1rem] pr-[0.5rem] text-left font-normal text-slate-100">
                        {r.address}
                      </th>
                      <td className="py-[0.1rem]">replica</td>
                      <td className="py-[0.1rem] text-right">
                        <ToneWord tone={r.ok ? "good" : "bad"}>{r.ok ? "ok" : "DOWN"}</ToneWord>
                      </td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </div>
        </div>
      </article>
    );
  },
  (a, b) => a.sig === b.sig,
);

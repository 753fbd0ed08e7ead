import { memo } from "react";
import type { Tone } from "@/lib/tone";
import type { DcsMemberModel, DcsModel } from "./dcs-model";
import { Caption } from "./wall-panel";
import { SuspectChip, ToneWord, WallStatus } from "./wall-status";

const MEMBER_TONE: Record<DcsMemberModel["state"], Tone> = { healthy: "good", unhealthy: "bad", down: "bad", unknown: "unknown" };
const MEMBER_WORD: Record<DcsMemberModel["state"], string> = { healthy: "", unhealthy: " unhealthy", down: " DOWN", unknown: " ?" };

/** The DCS under its Patroni cluster, on one line (the panel clips): members (★ the leader), quorum, raft term. */
export const DcsPanel = memo(
  function DcsPanel({ dcs }: { dcs: DcsModel; sig: string }) {
    const quorumTone: Tone = dcs.healthy === 0 ? "bad" : dcs.healthy < dcs.voters ? "warn" : "good";
    return (
      <div
        className="mt-[0.2rem] flex items-baseline gap-x-[0.7rem] overflow-hidden border-t border-slate-800 pt-[0.2rem] text-[1rem] whitespace-nowrap tabular-nums"
        data-testid={`wall-dcs-${dcs.clusterId}`}
        data-status={dcs.status}
        title={dcs.reason ?? undefined}
      >
        <Caption>DCS</Caption>
        <ul className="flex min-w-0 gap-x-[0.5rem]" aria-label="etcd members">
          {dcs.members.map((m) => (
            <li key={m.name} data-testid={`wall-dcs-member-${m.name}`} data-state={m.state}>
              <ToneWord tone={MEMBER_TONE[m.state]}>
                {m.name}
                {m.leader && <span aria-label=" (leader)">★</span>}
                {MEMBER_WORD[m.state]}
              </ToneWord>
            </li>
          ))}
        </ul>
        <ToneWord tone={quorumTone}>
          {dcs.healthy}/{dcs.voters} {dcs.healthy === 0 ? "NO QUORUM" : "quorum"}
        </ToneWord>
        <span className="text-slate-300">term {dcs.raftTerm ?? "—"}</span>
        {/* One line under the cluster: the members' words already say UP; only a change or a fault adds a status. */}
        {(dcs.suspect || dcs.status !== "UP") && (
          <span className="ml-auto">{dcs.suspect ? <SuspectChip suspect={dcs.suspect} className="text-[0.9rem]" /> : <WallStatus status={dcs.status} className="text-[1rem]" />}</span>
        )}
      </div>
    );
  },
  (a, b) => a.sig === b.sig,
);

import { memo } from "react";
import type { Finding } from "@/lib/health";
import type { EventView } from "@/lib/snapshot";
import type { IncidentGroupModel } from "./incidents-model";
import { LocalTime, Since } from "./time-text";
import { TONE_CARD, TONE_EDGE, statusTone } from "./tone";
import { Caption } from "./wall-panel";
import { SuspectChip, ToneWord, WallStatus } from "./wall-status";

/** Cross-layer problems (split brain, orphan primary, ...): the loudest thing on the wall. */
export const Findings = memo(
  function Findings({ findings }: { findings: Finding[]; sig: string }) {
    if (findings.length === 0) return null;
    return (
      <ul className="space-y-[0.5rem]" aria-label="Findings" data-testid="wall-findings">
        {findings.slice(0, 3).map((f) => {
          const critical = f.severity === "CRITICAL";
          return (
            <li
              key={f.id}
              className={`rounded-lg border-2 border-l-[0.5rem] px-[0.7rem] py-[0.45rem] ${critical ? "border-red-400 bg-red-950" : "border-amber-400 bg-amber-950"}`}
              data-testid={`wall-finding-${f.id}`}
              data-severity={f.severity}
            >
              <div className="flex items-baseline gap-[0.6rem]">
                <ToneWord tone={critical ? "bad" : "warn"} className="text-[1.05rem] tracking-[0.08em]">
                  {f.severity}
                </ToneWord>
                <Since since={f.since} className="ml-auto text-[1rem] text-slate-100" />
              </div>
              <h3 className={`text-[1.4rem] leading-tight font-bold ${critical ? "text-red-50" : "text-amber-50"}`}>{f.title}</h3>
              <p className="line-clamp-2 text-[0.95rem] leading-snug text-slate-100">{f.explanation}</p>
            </li>
          );
        })}
        {findings.length > 3 && <li className="text-[1.05rem] text-red-200">+{findings.length - 3} more findings</li>}
      </ul>
    );
  },
  (a, b) => a.sig === b.sig,
);

const IncidentGroup = memo(
  function IncidentGroup({ group }: { group: IncidentGroupModel; sig: string }) {
    const tone = statusTone(group.status);
    return (
      <li className={`rounded-lg border border-l-[0.4rem] px-[0.6rem] py-[0.35rem] ${TONE_CARD[tone]} ${TONE_EDGE[tone === "good" && group.suspect ? "warn" : tone]}`} data-testid={`wall-incident-${group.key}`}>
        <div className="flex items-baseline gap-[0.6rem]">
          <h3 className="min-w-0 flex-1 truncate text-[1.15rem] font-semibold text-slate-50">{group.name}</h3>
          {group.suspect && <SuspectChip suspect={group.suspect} className="text-[0.95rem]" />}
          {/* A suspicion on a component still UP: the chip says it all. */}
          {!(group.suspect && group.status === "UP") && <WallStatus status={group.status} className="text-[1.05rem]" />}
          {group.status !== "UP" && <Since since={group.since} className="w-[4.6rem] text-right text-[1.05rem] text-slate-100" />}
        </div>
        {group.units.length > 0 && (
          <ul className="mt-[0.15rem] space-y-[0.05rem]">
            {group.units.slice(0, 4).map((u) => (
              <li key={u.key} className="grid grid-cols-[1fr_auto] gap-x-[0.6rem] text-[0.95rem]" data-testid={`wall-incident-unit-${u.key}`}>
                <span className="min-w-0 truncate text-slate-100">
                  {u.name}
                  {u.reason && <span className="text-slate-300">: {u.reason}</span>}
                </span>
                <span className="flex items-baseline gap-[0.5rem]">
                  {u.suspect ? <SuspectChip suspect={u.suspect} /> : <WallStatus status={u.status} />}
                  {u.status !== "UP" && <Since since={u.since} className="w-[4.2rem] text-right text-slate-200" />}
                </span>
              </li>
            ))}
            {group.units.length > 4 && <li className="text-[0.9rem] text-slate-300">+{group.units.length - 4} more checks</li>}
          </ul>
        )}
      </li>
    );
  },
  (a, b) => a.sig === b.sig,
);

const MAX_GROUPS = 10;

/** Components with a problem or a suspicion, their failing checks, and how long each has lasted. */
export function Incidents({ groups }: { groups: IncidentGroupModel[] }) {
  if (groups.length === 0) {
    return (
      <p className="flex items-center gap-[0.6rem] rounded-lg border border-slate-800 px-[0.7rem] py-[0.6rem] text-[1.3rem] text-slate-200" data-testid="wall-incidents-none">
        <span aria-hidden="true" className="text-emerald-300">
          ●
        </span>
        No active incidents
      </p>
    );
  }
  // More than fit on the screen would only cost rendering time: the worst come first, the rest are counted.
  const shown = groups.slice(0, MAX_GROUPS);
  return (
    <ul className="space-y-[0.45rem]" aria-label="Active incidents">
      {shown.map((g) => (
        <IncidentGroup key={g.key} group={g} sig={g.sig} />
      ))}
      {groups.length > shown.length && <li className="text-[1.05rem] text-slate-200">+{groups.length - shown.length} more components with problems</li>}
    </ul>
  );
}

/** The latest events pushed by the stack (Sentinel failovers, keepalived transitions). */
export const RecentEvents = memo(
  function RecentEvents({ events }: { events: EventView[]; sig: string }) {
    return (
      <div className="min-h-0">
        <Caption>Recent events</Caption>
        {events.length === 0 ? (
          <p className="text-[0.95rem] text-slate-300">none since the dashboard started</p>
        ) : (
          <ul className="mt-[0.2rem] space-y-[0.1rem] text-[0.95rem]">
            {events.map((e, i) => (
              <li key={`${e.at}-${i}`} className="flex gap-[0.6rem] truncate">
                <LocalTime at={e.at} className="text-slate-300" />
                <span className="font-semibold text-slate-100">{e.type}</span>
                <span className="truncate text-slate-300">{e.message}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
    );
  },
  (a, b) => a.sig === b.sig,
);

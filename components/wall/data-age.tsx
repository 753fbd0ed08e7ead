"use client";

import { useEffect } from "react";
import { ageLevel, dataAgeSeconds, type AgeLevel } from "./data-age-model";
import { useNow } from "@/components/ui/use-now";

const STYLE: Record<AgeLevel, { icon: string; className: string; word: string }> = {
  fresh: { icon: "●", className: "border-slate-700 text-slate-100", word: "live" },
  amber: { icon: "▲", className: "border-amber-400 bg-amber-950 text-amber-200", word: "delayed" },
  red: { icon: "✖", className: "border-red-500 bg-red-950 text-red-100", word: "STALE" },
};

/**
 * "updated N s ago", ticking locally every second. Amber after 3 s, red after 10 s; the level goes up
 * to the wall so a frozen feed dims the whole screen.
 */
export function DataAge({
  at,
  receivedAt,
  connection,
  onLevel,
}: {
  at: number | null;
  receivedAt: number | null;
  connection: string;
  onLevel: (level: AgeLevel) => void;
}) {
  const now = useNow();
  const age = now === null || at === null || receivedAt === null ? null : dataAgeSeconds(now, at, receivedAt);
  // No data at all is as bad as old data.
  const level: AgeLevel = at === null ? "red" : age === null ? "fresh" : ageLevel(age);
  const shown = age === null ? null : Math.floor(age);

  useEffect(() => {
    onLevel(level);
  }, [level, onLevel]);

  const s = STYLE[level];
  return (
    <div
      className={`flex items-center gap-[0.6rem] rounded-lg border-2 px-[0.8rem] py-[0.25rem] text-[1.35rem] font-semibold tabular-nums ${s.className}`}
      data-testid="wall-data-age"
      data-state={level}
      role="status"
    >
      <span aria-hidden="true">{s.icon}</span>
      <span className="whitespace-nowrap">
        {at === null ? "no data yet" : <>updated <span className="inline-block min-w-[2.2ch] text-right">{shown ?? "…"}</span> s ago</>}
      </span>
      <span className="text-[0.9rem] tracking-[0.1em] uppercase opacity-90">{connection === "connecting" && level !== "fresh" ? "reconnecting" : s.word}</span>
    </div>
  );
}

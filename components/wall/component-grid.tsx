import { memo } from "react";
import { formatBudget } from "@/lib/sla-format";
import { pickTiles, type ComponentTileModel } from "./tiles-model";
import { LocalTime } from "./time-text";
import { TONE_CARD, TONE_EDGE, statusTone } from "./tone";
import { SuspectChip, WallStatus } from "./wall-status";

type Size = "lg" | "md" | "sm" | "xs";

/** Tile size by how many components there are; the grid is fixed, so a change of status never moves a tile. */
const TIERS: { max: number; cols: number; rows: number; size: Size }[] = [
  { max: 8, cols: 4, rows: 2, size: "lg" },
  { max: 12, cols: 4, rows: 3, size: "md" },
  { max: 20, cols: 5, rows: 4, size: "sm" },
  { max: Infinity, cols: 5, rows: 5, size: "xs" },
];

const Tile = memo(
  function Tile({ tile, size }: { tile: ComponentTileModel; size: Size; sig: string }) {
    const tone = statusTone(tile.status);
    const suspectTone = tile.suspect && tile.suspect.status !== "UP" ? statusTone(tile.suspect.status) : null;
    // A suspected fault marks the card too, while the confirmed word stays what it is.
    const edge = TONE_EDGE[tone === "good" && suspectTone ? suspectTone : tone];
    const base = `flex min-h-0 min-w-0 flex-col justify-between overflow-hidden rounded-lg border border-l-[0.4rem] ${TONE_CARD[tone]} ${edge}`;
    const attrs = {
      "data-testid": `wall-component-${tile.id}`,
      "data-status": tile.status,
      "data-suspect": tile.suspect ? `${tile.suspect.status} ${tile.suspect.count}/${tile.suspect.needed}` : undefined,
    };
    if (size === "xs" || size === "sm") {
      const text = size === "xs" ? "text-[0.9rem]" : "text-[1.05rem]";
      return (
        <li className={`${base} justify-center px-[0.5rem]`} {...attrs}>
          <div className={`flex min-w-0 items-baseline gap-[0.4rem] ${text}`}>
            <h3 className="min-w-0 flex-1 truncate font-semibold text-slate-100" title={tile.name}>
              {tile.name}
            </h3>
            {tile.suspect && <SuspectChip suspect={tile.suspect} className="text-[0.8rem]" />}
            <WallStatus status={tile.status} />
          </div>
        </li>
      );
    }
    const lg = size === "lg";
    return (
      <li className={`${base} ${lg ? "px-[0.7rem] py-[0.35rem]" : "px-[0.55rem] py-[0.3rem]"}`} {...attrs}>
        <h3 className={`shrink-0 truncate leading-tight font-semibold text-slate-50 ${lg ? "text-[1.15rem]" : "text-[1rem]"}`} title={tile.name}>
          {tile.name}
        </h3>
        <div className="flex min-w-0 shrink-0 items-center justify-between gap-[0.5rem]">
          <WallStatus status={tile.status} className={`leading-none ${lg ? "text-[2rem]" : "text-[1.5rem]"}`} />
          {tile.suspect ? (
            <SuspectChip suspect={tile.suspect} className={lg ? "text-[0.85rem]" : "text-[0.75rem]"} />
          ) : tile.status !== "UP" ? null : (
            <span className={`truncate text-slate-300 tabular-nums ${lg ? "text-[0.9rem]" : "text-[0.8rem]"}`}>SLA {tile.sla}%</span>
          )}
        </div>
        {(tile.budget || tile.maintenance) && <SlaLine tile={tile} lg={lg} />}
      </li>
    );
  },
  (a, b) => a.sig === b.sig && a.size === b.size,
);

/** This month's budget left, and maintenance now or within a day; left out entirely until the store has data. */
function SlaLine({ tile, lg }: { tile: ComponentTileModel; lg: boolean }) {
  const b = tile.budget;
  const m = tile.maintenance;
  return (
    <div className={`flex min-w-0 shrink-0 items-baseline justify-between gap-[0.5rem] leading-tight ${lg ? "text-[0.85rem]" : "text-[0.75rem]"}`}>
      {b && (
        <span className={`truncate tabular-nums ${b.remainingMs <= 0 ? "font-semibold text-red-300" : "text-slate-300"}`} data-testid={`wall-budget-${tile.id}`} data-remaining-ms={b.remainingMs} title="Downtime budget left this calendar month">
          {b.remainingMs <= 0 ? `budget overspent ${formatBudget(-b.remainingMs)}` : `${formatBudget(b.remainingMs)} left this month`}
        </span>
      )}
      {m && (
        <span className={`truncate font-semibold ${m.state === "active" ? "text-amber-200" : "text-slate-300"}`} data-testid={`wall-maintenance-${tile.id}`} data-state={m.state} title={m.reason}>
          <span aria-hidden="true">⚒ </span>
          {m.state === "active" ? "MAINT until " : "maint. "}
          <LocalTime at={m.state === "active" ? m.end : m.start} />
        </span>
      )}
    </div>
  );
}

/** Every SLA component with its confirmed status and any suspicion. */
export function ComponentGrid({ tiles }: { tiles: ComponentTileModel[] }) {
  const tier = TIERS.find((t) => tiles.length <= t.max) ?? TIERS[TIERS.length - 1]!;
  const { shown, hiddenUp, hiddenOther } = pickTiles(tiles, tier.cols * tier.rows);
  return (
    <ul
      className={`grid h-full min-h-0 ${tier.size === "lg" ? "gap-[0.5rem]" : "gap-[0.4rem]"}`}
      style={{ gridTemplateColumns: `repeat(${tier.cols}, minmax(0, 1fr))`, gridTemplateRows: `repeat(${tier.rows}, minmax(0, 1fr))` }}
      aria-label="SLA components"
    >
      {shown.map((t) => (
        <Tile key={t.id} tile={t} size={tier.size} sig={t.sig} />
      ))}
      {hiddenUp + hiddenOther > 0 && (
        <li className="flex items-center justify-center rounded-lg border border-dashed border-slate-600 px-[0.5rem] text-[0.9rem] text-slate-200">
          +{hiddenUp + hiddenOther} more{hiddenOther === 0 ? ", all UP" : ""}
        </li>
      )}
    </ul>
  );
}

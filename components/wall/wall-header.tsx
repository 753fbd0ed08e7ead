import { DataAge } from "@/components/wall/data-age";
import type { AgeLevel } from "@/components/wall/data-age-model";
import type { WallModel } from "@/components/wall/model";
import { OverallBanner } from "@/components/wall/overall-banner";
import { WallClock } from "@/components/wall/time-text";

/** The wall's top row: the overall verdict (or a wait for the first snapshot), the clock and the data's age. */
export function WallHeader({
  model,
  receivedAt,
  connection,
  onLevel,
}: {
  model: WallModel | null;
  receivedAt: number | null;
  connection: string;
  onLevel: (level: AgeLevel) => void;
}) {
  const suspected = model ? model.components.filter((c) => c.suspect && c.suspect.status !== "UP").length : 0;
  const summary = model ? `All ${model.components.length} components UP · ${model.unitsUp}/${model.unitCount} checks UP · no findings` : "";
  return (
    <div className="flex min-h-0 items-stretch gap-[0.7rem]">
      {model ? (
        <OverallBanner title={model.title} status={model.overall.status} reasons={model.overall.reasons} summary={summary} suspected={suspected} sig={model.overall.sig} />
      ) : (
        <section className="flex flex-1 items-center rounded-xl border-2 border-slate-600 bg-slate-900 px-[1.2rem] text-[2.4rem] font-bold text-slate-200" data-testid="wall-overall" data-status="NO_DATA">
          <h1 className="sr-only">HA Control Room</h1>
          <span aria-hidden="true">?&nbsp;</span>Waiting for the first snapshot…
        </section>
      )}
      <div className="flex shrink-0 flex-col items-end justify-between">
        <WallClock className="text-[2.5rem] leading-none font-bold text-slate-50" />
        <DataAge at={model?.at ?? null} receivedAt={receivedAt} connection={connection} onLevel={onLevel} />
      </div>
    </div>
  );
}

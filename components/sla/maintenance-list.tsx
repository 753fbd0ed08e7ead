"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { TonePill } from "@/components/ui/tone-pill";
import { formatInstant } from "@/lib/sla";
import { useTRPC } from "@/lib/trpc/client";
import type { RouterOutputs } from "@/lib/trpc/types";

type Window = RouterOutputs["sla"]["maintenance"]["list"][number];

const STATE_TONE = { active: "warn", upcoming: "neutral", over: "neutral", cancelled: "unknown" } as const;

/** The maintenance windows, each with a button to cancel (or end) it for those who may. */
export function MaintenanceList({
  windows,
  componentName,
  timeZone,
  canManage,
}: {
  windows: Window[];
  componentName: (id: string) => string;
  timeZone: string;
  canManage: boolean;
}) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const cancel = useMutation(trpc.sla.maintenance.cancel.mutationOptions({ onSuccess: () => qc.invalidateQueries({ queryKey: trpc.sla.pathKey() }) }));
  return (
    <>
      {windows.length === 0 ? (
        <p className="text-sm text-slate-400">None active or scheduled in the next 7 days.</p>
      ) : (
        <ul className="space-y-1 text-sm">
          {windows.map((w) => (
            <li key={w.id} className="flex flex-wrap items-center gap-x-2" data-testid={`sla-maintenance-${w.id}`} data-state={w.state}>
              <TonePill tone={STATE_TONE[w.state]}>{w.state.toUpperCase()}</TonePill>
              <span className="text-slate-100 tabular-nums">
                {formatInstant(w.start, timeZone)} – {formatInstant(w.effectiveEnd, timeZone)}
              </span>
              <span className="text-slate-300">{w.components.map(componentName).join(", ")}:</span>
              <span className="text-slate-300">{w.reason}</span>
              {w.createdBy && <span className="text-xs text-slate-500">by {w.createdBy}</span>}
              {canManage && (w.state === "upcoming" || w.state === "active") && (
                <button type="button" className="rounded border border-slate-600 px-2 py-0.5 text-xs text-slate-200 hover:bg-slate-800" disabled={cancel.isPending} onClick={() => cancel.mutate({ id: w.id })}>
                  {w.state === "active" ? "End now" : "Cancel"}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {cancel.error && (
        <p role="alert" className="text-sm text-red-300">
          {cancel.error.message}
        </p>
      )}
    </>
  );
}

"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { FAILURE_MODES, FAILURE_MODE_LABEL, type FailureMode } from "@/lib/rto";
import { formatBudget, formatInstant } from "@/lib/sla";
import { useTRPC } from "@/lib/trpc/client";
import type { RouterOutputs } from "@/lib/trpc/types";
import { tableClass, theadClass } from "@/components/ui/table-classes";

type Incident = RouterOutputs["sla"]["report"]["rto"]["incidents"][number];

const at = (ms: number | null, tz: string) => (ms === null ? "—" : formatInstant(ms, tz));

/** An operator's correction of one incident's class, with the note the audit log keeps. */
function CorrectClassForm({ incident, onDone }: { incident: Incident; onDone: () => void }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const correct = useMutation(
    trpc.sla.correctClass.mutationOptions({
      onSuccess: async () => {
        await qc.invalidateQueries({ queryKey: trpc.sla.pathKey() });
        onDone();
      },
    }),
  );
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    correct.mutate({ componentId: incident.componentId, suspectedAt: incident.suspectedAt, mode: String(form.get("mode")) as FailureMode, note: String(form.get("note") ?? "") });
  }
  return (
    <form onSubmit={submit} className="mt-1 flex flex-wrap items-end gap-2 text-xs" aria-label={`Correct the class of the ${incident.componentName} incident`}>
      <label className="flex flex-col gap-1">
        Failure mode
        <select name="mode" defaultValue={incident.mode ?? FAILURE_MODES[0]} className="rounded border border-slate-700 bg-slate-950 px-2 py-1" data-testid="sla-rto-correct-mode">
          {FAILURE_MODES.map((m) => (
            <option key={m} value={m}>
              {FAILURE_MODE_LABEL(m)}
            </option>
          ))}
        </select>
      </label>
      <label className="flex grow flex-col gap-1">
        Note (why)
        <input name="note" required minLength={5} maxLength={1000} className="rounded border border-slate-700 bg-slate-950 px-2 py-1" data-testid="sla-rto-correct-note" placeholder="e.g. the host lost power, see INC-1234" />
      </label>
      <button type="submit" disabled={correct.isPending} className="rounded bg-sky-700 px-3 py-1 font-medium text-white hover:bg-sky-600 disabled:opacity-50" data-testid="sla-rto-correct-save">
        Save class
      </button>
      <button type="button" onClick={onDone} className="px-2 py-1 text-slate-400 hover:text-slate-200">
        Cancel
      </button>
      {correct.error && (
        <p role="alert" className="w-full text-red-300">
          {correct.error.message}
        </p>
      )}
    </form>
  );
}

/** The period's incidents with when each was suspected, confirmed and recovered, its failure mode, and (operators) a control to correct it. */
export function RtoIncidents({ incidents, timeZone, canCorrect }: { incidents: Incident[]; timeZone: string; canCorrect: boolean }) {
  const [editing, setEditing] = useState<string | null>(null);
  if (incidents.length === 0) return <p className="text-sm text-slate-400">No incident in this period.</p>;
  return (
    <div className="overflow-x-auto print:overflow-visible">
      <table className={tableClass} data-testid="sla-rto-incidents">
        <thead className={theadClass}>
          <tr>
            <th className="py-1 pr-3 font-medium">Component</th>
            <th className="py-1 pr-3 font-medium">Suspected</th>
            <th className="py-1 pr-3 font-medium">Detection</th>
            <th className="py-1 pr-3 font-medium">Recovery</th>
            <th className="py-1 font-medium">Class</th>
          </tr>
        </thead>
        <tbody>
          {incidents.map((i) => {
            const key = `${i.componentId}@${i.suspectedAt}`;
            return (
              <tr key={key} className="border-t border-slate-800 align-top" data-testid={`sla-rto-incident-${i.componentId}`} data-mode={i.mode ?? "unclassified"} data-suspected-at={i.suspectedAt}>
                <td className="py-1 pr-3 text-slate-100">
                  {i.componentName}
                  <div className="text-xs text-slate-500">worst {i.worst}</div>
                </td>
                <td className="py-1 pr-3 whitespace-nowrap tabular-nums">{at(i.suspectedAt, timeZone)}</td>
                <td className="py-1 pr-3 tabular-nums" title={`confirmed ${at(i.confirmedAt, timeZone)}`}>
                  {i.detectionMs === null ? "—" : formatBudget(i.detectionMs)}
                </td>
                <td className="py-1 pr-3 tabular-nums" title={`recovered ${at(i.recoveredAt, timeZone)}`}>
                  {i.recoveryMs === null ? <span className="font-semibold text-red-300">ongoing</span> : formatBudget(i.recoveryMs)}
                </td>
                <td className="py-1 text-slate-300">
                  <span className="font-medium text-slate-100" data-testid="sla-rto-incident-mode">
                    {FAILURE_MODE_LABEL(i.mode)}
                  </span>
                  <div className="text-xs text-slate-400">
                    {i.correction ? `corrected by ${i.correction.by}: ${i.correction.note} (automatic: ${FAILURE_MODE_LABEL(i.automatic.mode)})` : i.automatic.evidence}
                  </div>
                  {canCorrect &&
                    (editing === key ? (
                      <CorrectClassForm incident={i} onDone={() => setEditing(null)} />
                    ) : (
                      <button type="button" onClick={() => setEditing(key)} className="text-xs text-sky-300 underline-offset-2 hover:underline print:hidden" data-testid="sla-rto-correct">
                        Correct class
                      </button>
                    ))}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

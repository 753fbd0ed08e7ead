"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { TonePill } from "@/components/ui/tone-pill";
import { formatInstant } from "@/lib/sla";
import { useTRPC } from "@/lib/trpc/client";
import type { RouterOutputs } from "@/lib/trpc/types";
import { theadClass } from "@/components/ui/table-classes";

type Window = RouterOutputs["sla"]["maintenance"]["list"][number];

const STATE_TONE = { active: "warn", upcoming: "neutral", over: "neutral", cancelled: "unknown" } as const;

/** Scheduled maintenance: the windows, and for admins a form to schedule one and buttons to cancel. */
export function MaintenancePanel({
  windows,
  components,
  timeZone,
  canManage,
}: {
  windows: Window[];
  components: { id: string; name: string }[];
  timeZone: string;
  canManage: boolean;
}) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.sla.pathKey() });
  const create = useMutation(trpc.sla.maintenance.create.mutationOptions({ onSuccess: refresh }));
  const cancel = useMutation(trpc.sla.maintenance.cancel.mutationOptions({ onSuccess: refresh }));
  const [picked, setPicked] = useState<string[]>([]);
  const name = (id: string) => (id === "*" ? "every component" : (components.find((c) => c.id === id)?.name ?? id));

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    // datetime-local is the browser's local time; the server stores instants.
    const start = new Date(String(form.get("start"))).getTime();
    const end = new Date(String(form.get("end"))).getTime();
    create.mutate({ components: picked.includes("*") ? ["*"] : picked, start, end, reason: String(form.get("reason") ?? "") });
  }

  return (
    <section className="space-y-3" aria-labelledby="sla-maintenance-title" data-testid="sla-maintenance">
      <h2 id="sla-maintenance-title" className="text-sm font-semibold tracking-wider text-slate-400 uppercase">
        Maintenance windows
      </h2>
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
              <span className="text-slate-300">{w.components.map(name).join(", ")}:</span>
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
      {canManage ? (
        <form onSubmit={submit} className="grid gap-3 rounded-lg border border-slate-800 p-3 text-sm sm:grid-cols-2" aria-label="Schedule a maintenance window">
          <fieldset className="sm:col-span-2">
            <legend className={theadClass}>Components</legend>
            <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
              {[{ id: "*", name: "All" }, ...components].map((c) => (
                <label key={c.id} className="inline-flex items-center gap-1">
                  <input type="checkbox" checked={picked.includes(c.id)} onChange={(e) => setPicked((p) => (e.target.checked ? [...p, c.id] : p.filter((x) => x !== c.id)))} />
                  {c.name}
                </label>
              ))}
            </div>
          </fieldset>
          <label className="flex flex-col gap-1">
            Start (your local time)
            <input name="start" type="datetime-local" required className="rounded border border-slate-700 bg-slate-950 px-2 py-1" />
          </label>
          <label className="flex flex-col gap-1">
            End
            <input name="end" type="datetime-local" required className="rounded border border-slate-700 bg-slate-950 px-2 py-1" />
          </label>
          <label className="flex flex-col gap-1 sm:col-span-2">
            Reason
            <input name="reason" required maxLength={2000} className="rounded border border-slate-700 bg-slate-950 px-2 py-1" placeholder="e.g. PostgreSQL minor upgrade, CHG-1234" />
          </label>
          <div className="flex items-center gap-3 sm:col-span-2">
            <button type="submit" disabled={create.isPending || picked.length === 0} className="rounded bg-sky-700 px-3 py-1 font-medium text-white hover:bg-sky-600 disabled:opacity-50">
              Schedule
            </button>
            <span className="text-xs text-slate-400">Whether a window is excluded from a component&apos;s SLA is its policy (config); reports show both figures.</span>
          </div>
          {create.error && (
            <p role="alert" className="text-red-300 sm:col-span-2">
              {create.error.message}
            </p>
          )}
        </form>
      ) : (
        <p className="text-xs text-slate-500">Only an admin schedules or cancels maintenance.</p>
      )}
    </section>
  );
}

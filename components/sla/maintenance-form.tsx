"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { theadClass } from "@/components/ui/table-classes";
import { useTRPC } from "@/lib/trpc/client";

/** Schedules a maintenance window over some components (or all of them, "*"). */
export function MaintenanceForm({ components }: { components: { id: string; name: string }[] }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const create = useMutation(trpc.sla.maintenance.create.mutationOptions({ onSuccess: () => qc.invalidateQueries({ queryKey: trpc.sla.pathKey() }) }));
  const [picked, setPicked] = useState<string[]>([]);

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    // datetime-local is the browser's local time; the server stores instants.
    const start = new Date(String(form.get("start"))).getTime();
    const end = new Date(String(form.get("end"))).getTime();
    create.mutate({ components: picked.includes("*") ? ["*"] : picked, start, end, reason: String(form.get("reason") ?? "") });
  }

  return (
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
  );
}

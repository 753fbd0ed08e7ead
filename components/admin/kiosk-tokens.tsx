"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/lib/trpc/client";
import { KioskTokenTable } from "./kiosk-token-table";

/** The read-only tokens of wall screens: make one (its address is shown once), list them, revoke them. */
export function KioskTokens() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const tokens = useQuery(trpc.admin.kiosk.list.queryOptions());
  const [made, setMade] = useState<{ label: string; url: string } | null>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.admin.kiosk.list.queryKey() });
  const create = useMutation(
    trpc.admin.kiosk.create.mutationOptions({
      onSuccess: (r) => {
        setMade({ label: r.token.label, url: `${window.location.origin}${r.url}` });
        void refresh();
      },
    }),
  );
  const revoke = useMutation(trpc.admin.kiosk.revoke.mutationOptions({ onSuccess: () => void refresh() }));

  function onCreate(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const label = String(new FormData(e.currentTarget).get("label") ?? "");
    create.mutate({ label });
  }

  return (
    <section aria-labelledby="kiosk-h" className="space-y-3">
      <h2 id="kiosk-h" className="font-semibold text-slate-100">
        Kiosk tokens
      </h2>
      <form onSubmit={onCreate} className="flex flex-wrap items-end gap-2">
        <div>
          <label htmlFor="kiosk-label" className="block text-sm text-slate-300">
            Screen label
          </label>
          <input id="kiosk-label" name="label" required maxLength={100} className="mt-1 rounded border border-slate-700 bg-slate-900 px-2 py-1 text-slate-100" />
        </div>
        <button type="submit" disabled={create.isPending} className="rounded bg-sky-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-600 disabled:opacity-60">
          Create token
        </button>
      </form>
      {create.error && <p className="text-sm text-red-300">{create.error.message}</p>}
      {made && (
        <div role="status" className="rounded border border-sky-800 bg-sky-950/40 p-3 text-sm" data-testid="kiosk-made">
          <p className="text-slate-200">Open this on the screen “{made.label}”. It is shown only now:</p>
          <p className="mt-1 break-all font-mono text-sky-200">{made.url}</p>
        </div>
      )}
      <KioskTokenTable tokens={tokens.data} onRevoke={(id) => revoke.mutate({ id })} />
    </section>
  );
}

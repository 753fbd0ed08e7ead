"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/lib/trpc/client";
import { ConfirmDialog, type ConfirmRequest } from "./confirm-dialog";

/**
 * Roles from the provider's groups are applied at sign-in; after a change of groups an admin ends
 * the single sign-on sessions so everyone signs in again and gets the role their groups give now.
 */
export function SsoSync({ provider }: { provider: string }) {
  const trpc = useTRPC();
  const sync = useMutation(trpc.admin.users.ssoSync.mutationOptions());
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const [result, setResult] = useState<string | null>(null);

  function onSync() {
    setConfirm({
      title: "Apply the provider's groups now",
      body: `Every session of a user who signs in through ${provider} ends now; at their next sign-in their role is mapped again from their groups. Local accounts are not affected.`,
      label: "End single sign-on sessions",
      danger: true,
      run: async (reason) => {
        const r = await sync.mutateAsync({ reason });
        setResult(`${r.sessions} session(s) of ${r.users} single sign-on user(s) ended`);
      },
    });
  }

  return (
    <div className="flex flex-wrap items-center gap-3 text-sm" data-testid="sso-sync">
      <button type="button" onClick={onSync} className="rounded border border-slate-600 px-2 py-1 text-slate-200 hover:bg-slate-800">
        Re-map {provider} roles now
      </button>
      {result && (
        <span role="status" className="text-slate-400">
          {result}
        </span>
      )}
      {confirm && <ConfirmDialog req={confirm} onClose={() => setConfirm(null)} />}
    </div>
  );
}

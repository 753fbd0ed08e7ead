"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { PageHeader } from "@/components/ui/page-header";
import { rowClass, tableClass, tdClass, thClass, theadClass } from "@/components/ui/table-classes";
import { useTRPC } from "@/lib/trpc/client";

const when = (ms: number | null) => (ms === null ? "—" : new Date(ms).toISOString().replace("T", " ").slice(0, 19) + " UTC");

/** Users and kiosk tokens. Accounts are made with `npm run admin` on the server. */
export function AdminView() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const users = useQuery(trpc.admin.users.list.queryOptions());
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
    <div className="space-y-8">
      <PageHeader title="Admin" description="People who may sign in, and the read-only tokens of wall screens." />

      <section aria-labelledby="users-h" className="space-y-2">
        <h2 id="users-h" className="font-semibold text-slate-100">
          Users
        </h2>
        <p className="text-sm text-slate-400">
          Add one on the server: <code className="font-mono">npm run admin -- create-user &lt;name&gt; &lt;role&gt;</code> (password from stdin).
        </p>
        {users.error && <p className="text-sm text-red-300">{users.error.message}</p>}
        <table className={tableClass} data-testid="admin-users">
          <thead className={theadClass}>
            <tr>
              <th className={thClass}>User name</th>
              <th className={thClass}>Name</th>
              <th className={thClass}>Role</th>
              <th className={thClass}>Created</th>
            </tr>
          </thead>
          <tbody>
            {users.data?.map((u) => (
              <tr key={u.id} className={rowClass}>
                <td className={`${tdClass} font-mono`}>{u.username ?? "—"}</td>
                <td className={tdClass}>{u.name}</td>
                <td className={tdClass}>{u.role}</td>
                <td className={`${tdClass} tabular-nums`}>{when(u.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

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
        <table className={tableClass} data-testid="admin-kiosk-tokens">
          <thead className={theadClass}>
            <tr>
              <th className={thClass}>Id</th>
              <th className={thClass}>Label</th>
              <th className={thClass}>Created</th>
              <th className={thClass}>Last used</th>
              <th className={thClass}>State</th>
              <th className={thClass}>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.data?.map((t) => (
              <tr key={t.id} className={rowClass}>
                <td className={`${tdClass} font-mono`}>{t.id}</td>
                <td className={tdClass}>{t.label}</td>
                <td className={`${tdClass} tabular-nums`}>
                  {when(t.createdAt)} by {t.createdBy}
                </td>
                <td className={`${tdClass} tabular-nums`}>{when(t.lastUsedAt)}</td>
                <td className={tdClass}>{t.revokedAt === null ? "live" : `revoked ${when(t.revokedAt)}`}</td>
                <td className={tdClass}>
                  {t.revokedAt === null && (
                    <button type="button" onClick={() => revoke.mutate({ id: t.id })} className="rounded border border-slate-700 px-2 py-0.5 text-xs hover:bg-slate-800">
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}

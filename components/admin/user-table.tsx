"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { primaryButton } from "@/components/actions/modal";
import { rowClass, tableClass, tdClass, thClass, theadClass } from "@/components/ui/table-classes";
import { ROLES, type Role } from "@/lib/roles";
import { useTRPC } from "@/lib/trpc/client";
import type { RouterOutputs } from "@/lib/trpc/types";
import { ConfirmDialog, OneTimePassword, type ConfirmRequest } from "./confirm-dialog";
import { when } from "./when";

type User = RouterOutputs["admin"]["users"]["list"][number];

const smallButton = "rounded border border-slate-700 px-2 py-0.5 text-xs hover:bg-slate-800 disabled:opacity-50";
const fieldClass = "mt-1 rounded border border-slate-700 bg-slate-900 px-2 py-1 text-slate-100";

/**
 * The people who may sign in, and what an admin may do to their accounts. Every change asks first
 * and is audited on the server; an admin's own row offers none of them (another admin must).
 */
export function UserTable({ self }: { self: string | null }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const users = useQuery(trpc.admin.users.list.queryOptions());
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const [secret, setSecret] = useState<{ username: string; password: string } | null>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.admin.users.list.queryKey() });
  const done = <T,>(p: Promise<T>) => p.finally(() => void refresh());

  const create = useMutation(
    trpc.admin.users.create.mutationOptions({
      onSuccess: (r) => {
        setSecret({ username: r.user.username ?? "", password: r.oneTimePassword });
        void refresh();
      },
    }),
  );
  const setRole = useMutation(trpc.admin.users.setRole.mutationOptions());
  const disable = useMutation(trpc.admin.users.disable.mutationOptions());
  const enable = useMutation(trpc.admin.users.enable.mutationOptions());
  const endSessions = useMutation(trpc.admin.users.endSessions.mutationOptions());
  const reset = useMutation(trpc.admin.users.resetPassword.mutationOptions());

  function onCreate(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const name = String(f.get("name") ?? "").trim();
    setSecret(null);
    create.mutate(
      { username: String(f.get("username") ?? "").trim(), name: name || undefined, role: String(f.get("role")) as Role },
      { onSuccess: () => (e.target as HTMLFormElement).reset() },
    );
  }

  const ask = (what: Omit<ConfirmRequest, "run">, run: (reason: string | undefined) => Promise<unknown>) =>
    setConfirm({ ...what, run: (reason) => done(run(reason)) });

  function onRole(u: User, role: Role) {
    const username = u.username!;
    ask({ title: `Change ${username}'s role`, body: `${username} becomes ${role} (now ${u.role}). Their sessions end; they sign in again with the new role.`, label: `Make ${role}`, danger: false }, (reason) =>
      setRole.mutateAsync({ username, role, reason }),
    );
  }

  return (
    <section aria-labelledby="users-h" className="space-y-3">
      <h2 id="users-h" className="font-semibold text-slate-100">
        Users
      </h2>
      <form onSubmit={onCreate} className="flex flex-wrap items-end gap-2" data-testid="user-create">
        <div>
          <label htmlFor="new-username" className="block text-sm text-slate-300">
            User name
          </label>
          <input id="new-username" name="username" required pattern="[a-z0-9._\-]{3,32}" title="3-32 lower-case letters, digits, '.', '_' or '-'" className={`${fieldClass} font-mono`} />
        </div>
        <div>
          <label htmlFor="new-name" className="block text-sm text-slate-300">
            Full name <span className="text-slate-500">(optional)</span>
          </label>
          <input id="new-name" name="name" maxLength={100} className={fieldClass} />
        </div>
        <div>
          <label htmlFor="new-role" className="block text-sm text-slate-300">
            Role
          </label>
          <select id="new-role" name="role" defaultValue="viewer" className={fieldClass}>
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </div>
        <button type="submit" disabled={create.isPending} className={primaryButton}>
          {create.isPending ? "Creating…" : "Create user"}
        </button>
      </form>
      {create.error && (
        <p role="alert" className="text-sm text-red-300">
          {create.error.message}
        </p>
      )}
      {secret && <OneTimePassword username={secret.username} password={secret.password} onDone={() => setSecret(null)} />}
      {users.error && <p className="text-sm text-red-300">{users.error.message}</p>}
      <table className={tableClass} data-testid="admin-users">
        <thead className={theadClass}>
          <tr>
            <th className={thClass}>User name</th>
            <th className={thClass}>Name</th>
            <th className={thClass}>Role</th>
            <th className={thClass}>State</th>
            <th className={thClass}>Created</th>
            <th className={thClass}>
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {users.data?.map((u) => {
            const mine = u.username !== null && u.username === self;
            const username = u.username;
            return (
              <tr key={u.id} className={rowClass} data-testid="user-row" data-username={username ?? ""}>
                <td className={`${tdClass} font-mono`}>{username ?? "—"}</td>
                <td className={tdClass}>{u.name}</td>
                <td className={tdClass}>
                  {mine || !username ? (
                    u.role
                  ) : (
                    <select
                      aria-label={`Role of ${username}`}
                      value={u.role}
                      onChange={(e) => onRole(u, e.target.value as Role)}
                      className="rounded border border-slate-700 bg-slate-900 px-1 py-0.5 text-sm text-slate-100"
                      data-testid="user-role-select"
                    >
                      {ROLES.map((r) => (
                        <option key={r}>{r}</option>
                      ))}
                    </select>
                  )}
                </td>
                <td className={tdClass} data-testid="user-state">
                  {u.disabledAt !== null ? <span className="text-amber-300">disabled {when(u.disabledAt)}</span> : "active"}
                  {u.mustChangePassword && <span className="block text-xs text-slate-400">one-time password not yet changed</span>}
                </td>
                <td className={`${tdClass} tabular-nums`}>{when(u.createdAt)}</td>
                <td className={`${tdClass} whitespace-nowrap`}>
                  {username && !mine && (
                    <div className="flex gap-1">
                      {u.disabledAt === null ? (
                        <button
                          type="button"
                          className={smallButton}
                          onClick={() =>
                            ask({ title: `Disable ${username}`, body: `${username} is signed out everywhere now and cannot sign in until enabled.`, label: "Disable", danger: true }, (reason) =>
                              disable.mutateAsync({ username, reason }),
                            )
                          }
                        >
                          Disable
                        </button>
                      ) : (
                        <button
                          type="button"
                          className={smallButton}
                          onClick={() =>
                            ask({ title: `Enable ${username}`, body: `${username} may sign in again with their password.`, label: "Enable", danger: false }, (reason) =>
                              enable.mutateAsync({ username, reason }),
                            )
                          }
                        >
                          Enable
                        </button>
                      )}
                      <button
                        type="button"
                        className={smallButton}
                        onClick={() =>
                          ask({ title: `End ${username}'s sessions`, body: `${username} is signed out in every browser now; they may sign in again.`, label: "End sessions", danger: true }, (reason) =>
                            endSessions.mutateAsync({ username, reason }),
                          )
                        }
                      >
                        End sessions
                      </button>
                      <button
                        type="button"
                        className={smallButton}
                        onClick={() =>
                          ask(
                            {
                              title: `Reset ${username}'s password`,
                              body: `${username}'s password is replaced by a one-time password, shown to you once; their sessions end and they must choose a new password at their next sign-in.`,
                              label: "Reset password",
                              danger: true,
                            },
                            async (reason) => {
                              const r = await reset.mutateAsync({ username, reason });
                              setSecret({ username, password: r.oneTimePassword });
                            },
                          )
                        }
                      >
                        Reset password
                      </button>
                    </div>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {confirm && <ConfirmDialog req={confirm} onClose={() => setConfirm(null)} />}
    </section>
  );
}

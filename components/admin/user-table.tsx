"use client";

import { useQuery } from "@tanstack/react-query";
import { rowClass, tableClass, tdClass, thClass, theadClass } from "@/components/ui/table-classes";
import { useTRPC } from "@/lib/trpc/client";
import { when } from "./when";

/** The people who may sign in. Accounts are made with `npm run admin` on the server. */
export function UserTable() {
  const trpc = useTRPC();
  const users = useQuery(trpc.admin.users.list.queryOptions());
  return (
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
  );
}

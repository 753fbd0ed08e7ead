import { rowClass, tableClass, tdClass, thClass, theadClass } from "@/components/ui/table-classes";
import type { RouterOutputs } from "@/lib/trpc/types";
import { when } from "./when";

type Token = RouterOutputs["admin"]["kiosk"]["list"][number];

/** Every kiosk token, live or revoked, with a button to revoke the live ones. */
export function KioskTokenTable({ tokens, onRevoke }: { tokens: Token[] | undefined; onRevoke: (id: Token["id"]) => void }) {
  return (
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
        {tokens?.map((t) => (
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
                <button type="button" onClick={() => onRevoke(t.id)} className="rounded border border-slate-700 px-2 py-0.5 text-xs hover:bg-slate-800">
                  Revoke
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

"use client";

import { KioskTokens } from "@/components/admin/kiosk-tokens";
import { UserTable } from "@/components/admin/user-table";
import { PageHeader } from "@/components/ui/page-header";

/** Users and kiosk tokens. Accounts are made with `npm run admin` on the server. */
export function AdminView() {
  return (
    <div className="space-y-8">
      <PageHeader title="Admin" description="People who may sign in, and the read-only tokens of wall screens." />
      <UserTable />
      <KioskTokens />
    </div>
  );
}

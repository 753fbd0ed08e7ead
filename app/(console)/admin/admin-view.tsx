"use client";

import { AuditLog } from "@/components/actions/audit-log";
import { KioskTokens } from "@/components/admin/kiosk-tokens";
import { SsoSync } from "@/components/admin/sso-sync";
import { UserTable } from "@/components/admin/user-table";
import { PageHeader } from "@/components/ui/page-header";

/** Users, kiosk tokens, and the audit log their changes are written to. */
export function AdminView({ self, ssoProvider }: { self: string | null; ssoProvider: string | null }) {
  return (
    <div className="space-y-8">
      <PageHeader title="Admin" description="People who may sign in, and the read-only tokens of wall screens." />
      <UserTable self={self} />
      {ssoProvider && <SsoSync provider={ssoProvider} />}
      <KioskTokens />
      <AuditLog />
    </div>
  );
}

"use client";

import { ApprovalsInbox } from "@/components/actions/approvals-inbox";
import { AuditLog } from "@/components/actions/audit-log";
import { useActionRights } from "@/components/actions/use-action-rights";
import { PageHeader } from "@/components/ui/page-header";

export function ApprovalsView() {
  const rights = useActionRights();
  return (
    <div className="space-y-10">
      <PageHeader
        title="Approvals"
        description="Switchovers, failovers and VRRP drains need two people: one requests, a different person with the approver role approves. Updates live."
      />
      <ApprovalsInbox />
      {rights.mayAudit && <AuditLog />}
    </div>
  );
}

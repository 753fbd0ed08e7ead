"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ConfirmDialog } from "@/components/admin/confirm-dialog";
import { useTRPC } from "@/lib/trpc/client";

/** Admins: queue a TestNotification for one receiver, after a confirmation (audited with the optional reason). */
export function SendTestButton({ receiver }: { receiver: string }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [asking, setAsking] = useState(false);
  const [sent, setSent] = useState<number | null>(null);
  const send = useMutation(
    trpc.alerts.sendTest.mutationOptions({
      onSuccess: (r) => {
        setSent(r.eventId);
        void qc.invalidateQueries({ queryKey: trpc.alerts.pathKey() });
      },
    }),
  );
  return (
    <div className="flex items-center gap-2">
      <button
        type="button"
        onClick={() => setAsking(true)}
        className="rounded border border-slate-700 px-2 py-0.5 text-xs hover:bg-slate-800"
        data-testid="send-test"
      >
        Send test notification
      </button>
      {sent !== null && (
        <span role="status" className="text-xs text-sky-200" data-testid="send-test-queued">
          Test queued (alert event #{sent})
        </span>
      )}
      {asking && (
        <ConfirmDialog
          req={{
            title: `Send a test notification to ${receiver}?`,
            body: `A TestNotification alert (severity info) goes to ${receiver} only, bypassing the routes, and resolves by itself. It is recorded in the audit log with your name.`,
            label: "Send test",
            danger: false,
            run: (reason) => send.mutateAsync({ receiver, reason }),
          }}
          onClose={() => setAsking(false)}
        />
      )}
    </div>
  );
}

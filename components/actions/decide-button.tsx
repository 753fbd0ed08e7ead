"use client";

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/lib/trpc/client";
import { Modal, inputClass, quietButton } from "./modal";

/** Reject (approver) or cancel (requester) a pending request, with a reason. */
export function DecideButton({ id, verb, testId }: { id: number; verb: "reject" | "cancel"; testId?: string }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const reject = useMutation(trpc.actions.reject.mutationOptions({ onSuccess: () => setOpen(false) }));
  const cancel = useMutation(trpc.actions.cancel.mutationOptions({ onSuccess: () => setOpen(false) }));
  const m = verb === "reject" ? reject : cancel;
  const label = verb === "reject" ? "Reject" : "Cancel request";
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    m.mutate({ id, reason });
  }
  return (
    <>
      <button type="button" className={quietButton} onClick={() => setOpen(true)} data-testid={testId}>
        {label}
      </button>
      {open && (
        <Modal title={`${label} #${id}`} onClose={() => setOpen(false)}>
          <form onSubmit={onSubmit} className="space-y-3">
            <label htmlFor={`decide-${id}`} className="block text-sm text-slate-300">
              Reason (recorded)
            </label>
            <input id={`decide-${id}`} required minLength={3} value={reason} onChange={(e) => setReason(e.target.value)} className={inputClass} />
            {m.error && <p className="text-sm text-red-300">{m.error.message}</p>}
            <button type="submit" className={quietButton} disabled={m.isPending || reason.trim().length < 3}>
              {label}
            </button>
          </form>
        </Modal>
      )}
    </>
  );
}

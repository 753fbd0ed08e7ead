"use client";

import { useState, type FormEvent } from "react";
import { DialogButtons } from "@/components/actions/dialog-buttons";
import { dangerButton, inputClass, Modal, primaryButton } from "@/components/actions/modal";

export interface ConfirmRequest {
  title: string;
  /** What will happen, in a sentence. */
  body: string;
  label: string;
  danger: boolean;
  run: (reason: string | undefined) => Promise<unknown>;
}

/** Asks before an account change, with an optional reason for the audit log; stays open with the error if it fails. */
export function ConfirmDialog({ req, onClose }: { req: ConfirmRequest; onClose: () => void }) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const reason = String(new FormData(e.currentTarget).get("reason") ?? "").trim();
    setPending(true);
    setError(null);
    try {
      await req.run(reason || undefined);
      onClose();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setPending(false);
    }
  }

  return (
    <Modal title={req.title} onClose={onClose} testId="confirm-dialog">
      <form onSubmit={(e) => void onSubmit(e)} className="space-y-4">
        <p className="text-sm text-slate-300">{req.body}</p>
        <div>
          <label htmlFor="confirm-reason" className="block text-sm text-slate-300">
            Reason <span className="text-slate-500">(optional, kept in the audit log)</span>
          </label>
          <input id="confirm-reason" name="reason" maxLength={500} className={inputClass} />
        </div>
        {error && (
          <p role="alert" className="text-sm text-red-300">
            {error}
          </p>
        )}
        <DialogButtons submitClass={req.danger ? dangerButton : primaryButton} disabled={pending} pending={pending} label={req.label} pendingLabel="Working…" testId="confirm-submit" onCancel={onClose} />
      </form>
    </Modal>
  );
}

/** A one-time password, shown this once: the server keeps only its hash. */
export function OneTimePassword({ username, password, onDone }: { username: string; password: string; onDone: () => void }) {
  return (
    <div role="status" className="rounded border border-sky-800 bg-sky-950/40 p-3 text-sm" data-testid="one-time-password">
      <p className="text-slate-200">
        One-time password for <span className="font-mono">{username}</span>. It is shown only now; give it to them in person. They must choose their own at
        their first sign-in.
      </p>
      <p className="mt-1 font-mono text-base text-sky-200 select-all" data-testid="one-time-password-value">
        {password}
      </p>
      <button type="button" onClick={onDone} className="mt-2 rounded border border-slate-700 px-2 py-0.5 text-xs hover:bg-slate-800">
        Done, hide it
      </button>
    </div>
  );
}

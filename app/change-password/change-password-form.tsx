"use client";

import { useState, type FormEvent } from "react";

const inputClass = "mt-1 w-full rounded border border-slate-700 bg-slate-900 px-3 py-2 text-slate-100 focus-visible:outline-2 focus-visible:outline-sky-400";

/**
 * Posts to better-auth's change-password endpoint, which checks the current password; other
 * sessions of the account end and this browser gets a fresh one.
 */
export function ChangePasswordForm({ next, username }: { next: string; username: string | null }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const currentPassword = String(form.get("current") ?? "");
    const newPassword = String(form.get("new") ?? "");
    if (newPassword !== String(form.get("again") ?? "")) {
      setError("The two new passwords differ.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const res = await fetch("/api/auth/change-password", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ currentPassword, newPassword, revokeOtherSessions: true }),
      });
      if (res.ok) {
        window.location.assign(next);
        return;
      }
      const body = (await res.json().catch(() => null)) as { message?: unknown } | null;
      setError(typeof body?.message === "string" ? body.message : `The change failed (HTTP ${res.status}); try again.`);
    } catch {
      setError("The dashboard did not answer; check the connection and try again.");
    } finally {
      setBusy(false);
    }
  }

  async function signOut() {
    await fetch("/api/auth/sign-out", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }).catch(() => {});
    window.location.replace("/login");
  }

  return (
    <form method="post" onSubmit={(e) => void onSubmit(e)} className="mt-6 space-y-4" aria-describedby={error ? "change-error" : undefined}>
      {/* For password managers: which account the new password belongs to. */}
      <input type="text" name="username" autoComplete="username" value={username ?? ""} readOnly hidden />
      <div>
        <label htmlFor="current" className="block text-sm text-slate-300">
          Current password
        </label>
        <input id="current" name="current" type="password" autoComplete="current-password" required autoFocus className={inputClass} />
      </div>
      <div>
        <label htmlFor="new" className="block text-sm text-slate-300">
          New password <span className="text-slate-500">(at least 10 characters)</span>
        </label>
        <input id="new" name="new" type="password" autoComplete="new-password" required minLength={10} maxLength={256} className={inputClass} />
      </div>
      <div>
        <label htmlFor="again" className="block text-sm text-slate-300">
          New password again
        </label>
        <input id="again" name="again" type="password" autoComplete="new-password" required minLength={10} maxLength={256} className={inputClass} />
      </div>
      {error && (
        <p id="change-error" role="alert" className="text-sm text-red-300" data-testid="change-password-error">
          <span aria-hidden="true">✖ </span>
          {error}
        </p>
      )}
      <div className="flex gap-2">
        <button type="submit" disabled={busy} className="flex-1 rounded bg-sky-700 px-3 py-2 font-medium text-white hover:bg-sky-600 disabled:opacity-60">
          {busy ? "Changing…" : "Change password"}
        </button>
        <button type="button" onClick={() => void signOut()} className="rounded border border-slate-700 px-3 py-2 text-slate-200 hover:bg-slate-800">
          Sign out
        </button>
      </div>
    </form>
  );
}

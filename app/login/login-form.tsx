"use client";

import { useState, useSyncExternalStore, type FormEvent } from "react";

/** Posts to better-auth's sign-in endpoint; the session cookie comes back httpOnly, so this code never sees it. */
export function LoginForm({ next }: { next: string }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Until the script runs, the button stays disabled: a native submit would send the password to the page.
  const ready = useSyncExternalStore(
    () => () => {},
    () => true,
    () => false,
  );

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const login = String(form.get("login") ?? "").trim();
    const password = String(form.get("password") ?? "");
    setBusy(true);
    setError(null);
    try {
      const problem = await signIn(login, password);
      if (problem === null) {
        window.location.assign(next);
        return;
      }
      setError(problem);
    } catch {
      setError("The dashboard did not answer; check the connection and try again.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <form method="post" onSubmit={onSubmit} className="mt-6 space-y-4" aria-describedby={error ? "login-error" : undefined}>
      <div>
        <label htmlFor="login" className="block text-sm text-slate-300">
          User name or email
        </label>
        <input
          id="login"
          name="login"
          autoComplete="username"
          required
          autoFocus
          className="mt-1 w-full rounded border border-slate-700 bg-slate-900 px-3 py-2 text-slate-100 focus-visible:outline-2 focus-visible:outline-sky-400"
        />
      </div>
      <div>
        <label htmlFor="password" className="block text-sm text-slate-300">
          Password
        </label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          className="mt-1 w-full rounded border border-slate-700 bg-slate-900 px-3 py-2 text-slate-100 focus-visible:outline-2 focus-visible:outline-sky-400"
        />
      </div>
      {error && (
        <p id="login-error" role="alert" className="text-sm text-red-300" data-testid="login-error">
          <span aria-hidden="true">✖ </span>
          {error}
        </p>
      )}
      <button
        type="submit"
        disabled={busy || !ready}
        className="w-full rounded bg-sky-700 px-3 py-2 font-medium text-white hover:bg-sky-600 focus-visible:outline-2 focus-visible:outline-sky-300 disabled:opacity-60"
      >
        {busy ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}

/** Signs in by user name or by email; null when it worked, else what to tell the person. */
async function signIn(login: string, password: string): Promise<string | null> {
  const byEmail = login.includes("@");
  const res = await fetch(byEmail ? "/api/auth/sign-in/email" : "/api/auth/sign-in/username", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(byEmail ? { email: login, password } : { username: login.toLowerCase(), password }),
  });
  if (res.ok) return null;
  if (res.status === 401) return "Wrong user name or password.";
  if (res.status === 403) return (await messageOf(res)) ?? "This account may not sign in; ask an admin.";
  if (res.status === 429) return (await messageOf(res)) ?? "Too many failed sign-ins; try again later.";
  if (res.status === 400) return (await messageOf(res)) ?? "Check the user name and password.";
  return `Sign-in failed (HTTP ${res.status}); try again.`;
}

async function messageOf(res: Response): Promise<string | null> {
  try {
    const body = (await res.json()) as { message?: unknown };
    return typeof body.message === "string" ? body.message : null;
  } catch {
    return null;
  }
}

"use client";

import { useState } from "react";
import type { Viewer } from "@/lib/roles";

/** The signed-in user's name and role, and sign out (a POST, so it carries the same-origin proof). */
export function UserMenu({ viewer }: { viewer: Viewer }) {
  const [busy, setBusy] = useState(false);
  if (viewer.kind === "kiosk") {
    return (
      <span className="text-sm text-slate-400" data-testid="user-menu">
        Kiosk: {viewer.label} (read-only)
      </span>
    );
  }
  async function signOut() {
    setBusy(true);
    try {
      await fetch("/api/auth/sign-out", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    } finally {
      // A full load, so no cached query of the signed-in user survives.
      window.location.replace("/login");
    }
  }
  return (
    <div className="ml-auto flex items-center gap-3 text-sm" data-testid="user-menu">
      <span className="text-slate-300">
        <span className="font-medium text-slate-100" data-testid="user-name">
          {viewer.name}
        </span>{" "}
        <span className="rounded border border-slate-700 px-1.5 py-0.5 text-xs uppercase tracking-wide text-slate-300" data-testid="user-role">
          {viewer.role}
        </span>
      </span>
      <button
        type="button"
        onClick={signOut}
        disabled={busy}
        className="rounded border border-slate-700 px-2 py-1 text-slate-200 hover:bg-slate-800 focus-visible:outline-2 focus-visible:outline-sky-400"
      >
        Sign out
      </button>
    </div>
  );
}

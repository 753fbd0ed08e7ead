import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { safeNext } from "@/lib/safe-next";
import { ConfigError } from "@/server/config/load";
import { getAuthRuntime, viewerOf } from "@/server/auth";
import { NO_MAPPED_GROUP, ssoStatus } from "@/server/auth/oidc";
import { LoginForm } from "./login-form";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign in · HA Control Room" };


type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function LoginPage({ searchParams }: Props) {
  const sp = await searchParams;
  const next = safeNext(sp.next);
  try {
    const { viewer, passwordChangeDue } = await viewerOf(await headers());
    if (viewer?.kind === "user") redirect(next);
    if (passwordChangeDue) redirect(`/change-password?next=${encodeURIComponent(next)}`);
  } catch (e) {
    // A broken config is shown by the pages themselves, after sign-in is possible again.
    if (!(e instanceof ConfigError)) throw e;
  }
  const sso = await ssoBlock(sp, next);
  return (
    <main className="mx-auto flex min-h-screen max-w-sm flex-col justify-center px-4 py-12">
      <h1 className="text-xl font-semibold text-slate-100">HA Control Room</h1>
      <p className="mt-1 text-sm text-slate-400">Sign in to see the HA stack.</p>
      {sp.error === "kiosk" && (
        <p role="alert" className="mt-4 rounded border border-amber-700 bg-amber-950/40 p-3 text-sm text-amber-200" data-testid="kiosk-refused">
          <span aria-hidden="true">⚠ </span>That kiosk link is not valid (unknown or revoked). Ask an admin for a new one.
        </p>
      )}
      {sso}
      <LoginForm next={next} />
    </main>
  );
}

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** Why single sign-on came back without a session, in words (the callback sends a code). */
function ssoFailure(code: string | undefined, provider: string): string {
  if (code === NO_MAPPED_GROUP) return `Single sign-on refused: your account at ${provider} is in none of the groups that give access to this dashboard. Ask your administrator.`;
  if (code === "account_not_linked") return "Single sign-on refused: a local account here already uses that email address. Ask an admin.";
  return `Single sign-on did not sign you in${code ? ` (${code.replace(/[^A-Za-z0-9_ -]/g, "").slice(0, 60)})` : ""}. Try again.`;
}

/** The "Sign in with <provider>" button, or why it is unavailable; nothing when single sign-on is not configured. */
async function ssoBlock(sp: Record<string, string | string[] | undefined>, next: string) {
  let oidc;
  try {
    oidc = (await getAuthRuntime()).config.auth.oidc;
  } catch (e) {
    if (e instanceof ConfigError) return null;
    throw e;
  }
  if (!oidc) return null;
  const status = await ssoStatus(oidc);
  const failed = one(sp.sso) === "failed" ? ssoFailure(one(sp.error), oidc.displayName) : null;
  const start = `/api/sso/start${next === "/" ? "" : `?next=${encodeURIComponent(next)}`}`;
  return (
    <div className="mt-6 space-y-3">
      {failed && (
        <p role="alert" className="rounded border border-red-800 bg-red-950/40 p-3 text-sm text-red-200" data-testid="sso-failed">
          <span aria-hidden="true">✖ </span>
          {failed}
        </p>
      )}
      {status.ok ? (
        <a href={start} className="block w-full rounded bg-indigo-700 px-3 py-2 text-center font-medium text-white hover:bg-indigo-600 focus-visible:outline-2 focus-visible:outline-indigo-300" data-testid="sso-start">
          Sign in with {oidc.displayName}
        </a>
      ) : (
        <p role="alert" className="rounded border border-amber-700 bg-amber-950/40 p-3 text-sm text-amber-200" data-testid="sso-unavailable">
          <span aria-hidden="true">⚠ </span>Single sign-on is unavailable: {status.reason}; break-glass accounts can still sign in below.
        </p>
      )}
      <p className="text-center text-xs uppercase tracking-wide text-slate-500">or with a local account</p>
    </div>
  );
}

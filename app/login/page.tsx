import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { safeNext } from "@/lib/safe-next";
import { ConfigError } from "@/server/config/load";
import { viewerOf } from "@/server/auth";
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
  return (
    <main className="mx-auto flex min-h-screen max-w-sm flex-col justify-center px-4 py-12">
      <h1 className="text-xl font-semibold text-slate-100">HA Control Room</h1>
      <p className="mt-1 text-sm text-slate-400">Sign in to see the HA stack.</p>
      {sp.error === "kiosk" && (
        <p role="alert" className="mt-4 rounded border border-amber-700 bg-amber-950/40 p-3 text-sm text-amber-200" data-testid="kiosk-refused">
          <span aria-hidden="true">⚠ </span>That kiosk link is not valid (unknown or revoked). Ask an admin for a new one.
        </p>
      )}
      <LoginForm next={next} />
    </main>
  );
}

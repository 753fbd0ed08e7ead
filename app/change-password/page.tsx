import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { safeNext } from "@/lib/safe-next";
import { viewerOf } from "@/server/auth";
import { ChangePasswordForm } from "./change-password-form";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Change password · HA Control Room" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/**
 * Outside the console frame: someone signed in with a one-time password lands here and can do
 * nothing else (every page and procedure refuses them) until they chose their own. Signed-in users
 * may also come here to change theirs.
 */
export default async function ChangePasswordPage({ searchParams }: Props) {
  const next = safeNext((await searchParams).next);
  const { viewer, passwordChangeDue } = await viewerOf(await headers());
  if (viewer?.kind === "kiosk") redirect("/wall");
  const who = passwordChangeDue ?? (viewer?.kind === "user" ? { name: viewer.name, username: viewer.username } : null);
  if (!who) redirect("/login?next=%2Fchange-password");
  return (
    <main className="mx-auto flex min-h-screen max-w-sm flex-col justify-center px-4 py-12">
      <h1 className="text-xl font-semibold text-slate-100">Choose your password</h1>
      {passwordChangeDue ? (
        <p className="mt-1 text-sm text-amber-200" data-testid="password-change-due">
          {who.name}, you signed in with a one-time password. Choose your own before going on.
        </p>
      ) : (
        <p className="mt-1 text-sm text-slate-400">Signed in as {who.name}.</p>
      )}
      <ChangePasswordForm next={next} username={who.username} />
    </main>
  );
}

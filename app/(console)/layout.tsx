import { headers } from "next/headers";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { TopNav } from "@/components/top-nav";
import type { Viewer } from "@/lib/roles";
import { loginPath } from "@/lib/safe-next";
import { viewerOf } from "@/server/auth";
import { ConfigError } from "@/server/config/load";

export const dynamic = "force-dynamic";

/**
 * The console's frame: navigation and page margins. The wall (app/wall) lives outside it, full-screen.
 * Signed-out visitors go to /login?next=<the page>; a kiosk token is for the wall only.
 */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  let viewer: Viewer | null = null;
  let passwordChangeDue = false;
  const h = await headers();
  try {
    const v = await viewerOf(h);
    viewer = v.viewer;
    passwordChangeDue = v.passwordChangeDue !== null;
  } catch (e) {
    // With a broken config nobody can sign in; the page shows the config's problems (no secrets in them).
    if (!(e instanceof ConfigError)) throw e;
    return <main className="mx-auto max-w-7xl px-4 py-6">{children}</main>;
  }
  // A one-time password first becomes the person's own; until then, no other page.
  if (passwordChangeDue) redirect(`/change-password?next=${encodeURIComponent(h.get("x-hacr-path") ?? "/")}`);
  // Back to the same page after sign-in (the path comes from proxy.ts; loginPath keeps it on this site).
  if (!viewer) redirect(loginPath(h.get("x-hacr-path") ?? "/"));
  if (viewer.kind === "kiosk") redirect("/wall");
  return (
    <>
      <TopNav title="HA Control Room" viewer={viewer} />
      <main className="mx-auto max-w-7xl px-4 py-6">{children}</main>
    </>
  );
}

import type { Metadata } from "next";
import { headers } from "next/headers";
import { PageHeader } from "@/components/ui/page-header";
import { hasRole } from "@/lib/roles";
import { getAuthRuntime, viewerOf } from "@/server/auth";
import { AdminView } from "./admin-view";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Admin · HA Control Room" };

export default async function AdminPage() {
  const { viewer } = await viewerOf(await headers());
  if (viewer?.kind !== "user" || !hasRole(viewer.role, "admin")) {
    return (
      <div className="space-y-4">
        <PageHeader title="Admin" />
        <p role="alert" className="text-sm text-amber-200" data-testid="admin-refused">
          <span aria-hidden="true">⚠ </span>This page is for admins.
        </p>
      </div>
    );
  }
  const sso = (await getAuthRuntime()).config.auth.oidc;
  return <AdminView self={viewer.username} ssoProvider={sso?.displayName ?? null} />;
}

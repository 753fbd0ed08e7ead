import type { Metadata } from "next";
import { headers } from "next/headers";
import { ConfigProblems } from "@/components/config-problems";
import { hasRole } from "@/lib/roles";
import { resolveRequest } from "@/server/auth";
import { tryGetConfig } from "@/server/config";
import { AlertsView } from "./alerts-view";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Alerts · HA Control Room" };

export default async function AlertsPage() {
  const loaded = tryGetConfig();
  if (!loaded.ok) return <ConfigProblems file={loaded.error.file} problems={loaded.error.problems} />;
  const { actor } = await resolveRequest(await headers());
  const canTest = actor?.kind === "user" && hasRole(actor.role, "admin");
  return <AlertsView canTest={canTest} />;
}

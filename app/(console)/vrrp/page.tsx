import type { Metadata } from "next";
import { ConfigProblems } from "@/components/config-problems";
import { tryGetConfig } from "@/server/config";
import { VrrpView } from "./vrrp-view";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "VRRP · HA Control Room" };

export default function VrrpPage() {
  const loaded = tryGetConfig();
  if (!loaded.ok) return <ConfigProblems file={loaded.error.file} problems={loaded.error.problems} />;
  return <VrrpView />;
}

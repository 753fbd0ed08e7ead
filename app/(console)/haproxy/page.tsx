import type { Metadata } from "next";
import { ConfigProblems } from "@/components/config-problems";
import { tryGetConfig } from "@/server/config";
import { HaproxyView } from "./haproxy-view";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "HAProxy · HA Control Room" };

export default function HaproxyPage() {
  const loaded = tryGetConfig();
  if (!loaded.ok) return <ConfigProblems file={loaded.error.file} problems={loaded.error.problems} />;
  return <HaproxyView />;
}

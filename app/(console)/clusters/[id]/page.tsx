import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ConfigProblems } from "@/components/config-problems";
import { tryGetConfig } from "@/server/config";
import { ClusterView } from "./cluster-view";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  const loaded = tryGetConfig();
  const c = loaded.ok ? loaded.config.clusters.find((x) => x.id === id) : undefined;
  return { title: `${c?.name ?? id} · HA Control Room` };
}

export default async function ClusterPage({ params }: Props) {
  const { id } = await params;
  const loaded = tryGetConfig();
  if (!loaded.ok) return <ConfigProblems file={loaded.error.file} problems={loaded.error.problems} />;
  if (!loaded.config.clusters.some((c) => c.id === id)) notFound();
  return <ClusterView id={id} />;
}

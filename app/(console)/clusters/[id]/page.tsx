import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { viewerOf } from "@/server/auth";
import { ConfigProblems } from "@/components/config-problems";
import { tryGetConfig } from "@/server/config";
import { ClusterView } from "./cluster-view";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  // The layout's redirect of a signed-out visitor still carries the head: nothing of the page in it.
  const { viewer } = await viewerOf(await headers()).catch(() => ({ viewer: null }));
  if (!viewer) return { title: "HA Control Room" };
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

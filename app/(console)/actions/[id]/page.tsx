import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { viewerOf } from "@/server/auth";
import { ActionProgress } from "@/components/actions/action-progress";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  // The layout's redirect of a signed-out visitor still carries the head: nothing of the page in it.
  const { viewer } = await viewerOf(await headers()).catch(() => ({ viewer: null }));
  if (!viewer) return { title: "HA Control Room" };
  return { title: `Action #${(await params).id} · HA Control Room` };
}

export default async function ActionPage({ params }: Props) {
  const id = Number((await params).id);
  if (!Number.isInteger(id) || id <= 0) notFound();
  return <ActionProgress id={id} />;
}

import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ActionProgress } from "@/components/actions/action-progress";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Action #${(await params).id} · HA Control Room` };
}

export default async function ActionPage({ params }: Props) {
  const id = Number((await params).id);
  if (!Number.isInteger(id) || id <= 0) notFound();
  return <ActionProgress id={id} />;
}

import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { ConfigProblems } from "@/components/config-problems";
import { PageHeader } from "@/components/ui/page-header";
import { tryGetConfig } from "@/server/config";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Clusters · HA Control Room" };

/** The configured Patroni clusters; with only one, straight to it. */
export default function ClustersPage() {
  const loaded = tryGetConfig();
  if (!loaded.ok) return <ConfigProblems file={loaded.error.file} problems={loaded.error.problems} />;
  const clusters = loaded.config.clusters;
  if (clusters.length === 1) redirect(`/clusters/${encodeURIComponent(clusters[0]!.id)}`);
  return (
    <div className="space-y-6">
      <PageHeader title="Patroni clusters" />
      {clusters.length === 0 ? (
        <p className="text-sm text-slate-400">No Patroni cluster configured.</p>
      ) : (
        <ul className="space-y-2">
          {clusters.map((c) => (
            <li key={c.id}>
              <Link href={`/clusters/${encodeURIComponent(c.id)}`} className="text-sky-300 underline-offset-2 hover:underline">
                {c.name ?? c.id}
              </Link>{" "}
              <span className="text-sm text-slate-400">
                ({c.nodes.length} nodes: {c.nodes.map((n) => n.name).join(", ")})
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

"use client";

import { ActionsInFlight } from "@/components/home/actions-in-flight";
import { ClusterCards } from "@/components/home/cluster-cards";
import { ComponentTable } from "@/components/home/component-table";
import { OverallCard } from "@/components/home/overall-card";
import { RecentEvents } from "@/components/home/recent-events";
import { ViewCards } from "@/components/home/view-cards";
import { FeedStatus } from "@/components/ui/feed-status";
import { FindingsList } from "@/components/ui/findings-list";
import { LoadProblem } from "@/components/ui/load-problem";
import { PageHeader } from "@/components/ui/page-header";
import { Section } from "@/components/ui/section";
import type { Snapshot } from "@/lib/snapshot";
import { useLiveSnapshot } from "@/lib/use-live-snapshot";

const EVENTS_SHOWN = 8;

/** The console's front page: the verdict and why, every component, findings, actions in flight, and the way into each view. */
export function HomeView({ initial }: { initial: Snapshot | null }) {
  const { snapshot, error, feed } = useLiveSnapshot({ initial });
  if (!snapshot) return <LoadProblem error={error} what="the overview" />;
  const suspected = snapshot.components.filter((c) => c.suspect && c.suspect.status !== "UP").length;
  return (
    <div className="space-y-8">
      <PageHeader title={snapshot.title} description="The HA stack as the monitor sees it now, pushed live." aside={<FeedStatus feed={feed} at={snapshot.at} />} />
      <OverallCard
        status={snapshot.overall.status}
        reasons={snapshot.overall.reasons}
        suspected={suspected}
        counts={{
          componentsUp: snapshot.components.filter((c) => c.status === "UP").length,
          components: snapshot.components.length,
          unitsUp: snapshot.units.filter((u) => u.status === "UP").length,
          units: snapshot.units.length,
          findings: snapshot.findings.length,
        }}
      />
      {snapshot.findings.length > 0 && (
        <Section title="Cross-layer findings" empty={false}>
          <FindingsList findings={snapshot.findings} testId="home-findings" />
        </Section>
      )}
      <Section title="Components" empty={snapshot.components.length === 0}>
        <ComponentTable components={snapshot.components} units={snapshot.units} />
      </Section>
      <div className="grid gap-8 lg:grid-cols-2">
        <Section title="Guarded actions in flight" empty={false}>
          <ActionsInFlight />
        </Section>
        <Section title="Recent events" empty={false}>
          <RecentEvents events={snapshot.events.slice(0, EVENTS_SHOWN)} />
        </Section>
      </div>
      <Section title="Database clusters" empty={snapshot.clusters.length === 0}>
        <ClusterCards clusters={snapshot.clusters} units={snapshot.units} />
      </Section>
      <Section title="Views" empty={false}>
        <ViewCards snapshot={snapshot} />
      </Section>
    </div>
  );
}

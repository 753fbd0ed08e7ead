"use client";

import { useSubscription } from "@trpc/tanstack-react-query";
import { useCallback, useEffect, useMemo, useState } from "react";
import { useTRPC } from "@/lib/trpc/client";
import type { RouterOutputs } from "@/lib/trpc/types";
import type { Snapshot } from "@/lib/snapshot";
import { ClusterPanel } from "@/components/wall/cluster-panel";
import { ComponentGrid } from "@/components/wall/component-grid";
import { DcsPanel } from "@/components/wall/dcs-panel";
import { HaproxyPanel } from "@/components/wall/haproxy-panel";
import { Findings, Incidents, RecentEvents } from "@/components/wall/incidents-panel";
import { MarketDataRow } from "@/components/wall/market-data-panel";
import type { AgeLevel } from "@/components/wall/data-age-model";
import { toWallModel } from "@/components/wall/model";
import { SentinelPanel } from "@/components/wall/sentinel-panel";
import { StaleOverlay } from "@/components/wall/stale-overlay";
import { useLiveSnapshot } from "@/lib/use-live-snapshot";
import { VrrpTable } from "@/components/wall/vrrp-panel";
import { WallHeader } from "@/components/wall/wall-header";
import { WallPanel } from "@/components/wall/wall-panel";
import { SuspectChip, WallStatus } from "@/components/wall/wall-status";

type SlaWall = RouterOutputs["sla"]["wall"];
/** After a failed or ended SLA feed, open it again this soon (budgets move slowly; the tiles keep their figures). */
const SLA_RETRY_MS = 10_000;

/** The tiles' SLA figures: the server-rendered ones, then whatever the server pushes (once a minute); nothing polls. */
function useWallSla(initial: SlaWall | null): SlaWall | null {
  const trpc = useTRPC();
  const [figures, setFigures] = useState(initial);
  const { status, reset } = useSubscription(
    trpc.sla.wallLive.subscriptionOptions(undefined, {
      onData: (d) => setFigures((old) => (!old || d.at >= old.at ? d : old)),
    }),
  );
  useEffect(() => {
    if (status !== "error" && status !== "idle") return;
    const t = setTimeout(reset, SLA_RETRY_MS);
    return () => clearTimeout(t);
  }, [status, reset]);
  return figures;
}

function Empty({ children }: { children: string }) {
  return <p className="text-[1rem] text-slate-300">{children}</p>;
}

/**
 * The NOC wall: everything at once on one 16:9 screen, sized in rem off the viewport (see wall.css),
 * no scrolling and nothing to click. Rows are memoised on a per-item signature, so the five snapshots
 * a second re-render only what changed.
 */
export function WallView({ initial, initialSla = null, kiosk = false }: { initial: Snapshot | null; initialSla?: SlaWall | null; kiosk?: boolean }) {
  const [level, setLevel] = useState<AgeLevel>("fresh");
  const onLevel = useCallback((l: AgeLevel) => setLevel(l), []);
  // A wall screen has nobody to sign in: it says why it stopped instead of showing a sign-in form.
  const [revoked, setRevoked] = useState(false);
  const onKioskGone = useCallback(() => setRevoked(true), []);
  const { snapshot, receivedAt, connection } = useLiveSnapshot({ initial, stale: level === "red", onSignedOut: kiosk ? onKioskGone : undefined });
  const sla = useWallSla(initialSla);
  const model = useMemo(() => (snapshot ? toWallModel(snapshot, sla) : null), [snapshot, sla]);
  const stale = level === "red";

  const componentsUp = model ? model.components.filter((c) => c.status === "UP").length : 0;
  const activeIncidents = model ? model.incidents.filter((g) => g.status !== "UP").length : 0;
  const suspectedIncidents = model ? model.incidents.length - activeIncidents : 0;
  const lb = model?.haproxy.length === 1 ? model.haproxy[0] : undefined;

  return (
    <div data-wall-root="" data-stale={level} className="fixed inset-0 z-10 overflow-hidden bg-[#030712] text-slate-100">
      <div className={`grid h-full grid-cols-[minmax(0,1fr)] grid-rows-[5.8rem_minmax(0,1fr)] gap-[0.7rem] p-[0.8rem] ${stale ? "opacity-40 grayscale" : ""}`}>
        <WallHeader model={model} receivedAt={receivedAt} connection={connection} onLevel={onLevel} />

        <div className="grid min-h-0 grid-cols-[minmax(0,1fr)_27rem] gap-[0.7rem]">
          <div className="grid min-h-0 grid-rows-[14.2rem_minmax(0,1fr)] gap-[0.7rem]">
            <WallPanel title="SLA components" aside={model ? <span className="tabular-nums">{componentsUp}/{model.components.length} UP</span> : null}>
              {model && model.components.length > 0 ? <ComponentGrid tiles={model.components} /> : <Empty>No components configured.</Empty>}
            </WallPanel>

            <div className="grid min-h-0 grid-cols-2 grid-rows-[minmax(0,1fr)_minmax(0,1fr)] gap-[0.7rem]">
              <WallPanel title="Database · Patroni">
                {model?.clusters.map((c) => {
                  const dcs = model.dcs.find((d) => d.clusterId === c.id);
                  return (
                    <div key={c.id}>
                      <ClusterPanel cluster={c} sig={c.sig} />
                      {dcs && <DcsPanel dcs={dcs} sig={dcs.sig} />}
                    </div>
                  );
                })}
                {model && model.clusters.length === 0 && <Empty>No Patroni cluster configured.</Empty>}
              </WallPanel>
              <WallPanel title="VRRP · keepalived">
                {model && model.vrrp.length > 0 ? <VrrpTable instances={model.vrrp} /> : <Empty>No VRRP instance configured.</Empty>}
              </WallPanel>
              <WallPanel title="Cache · Redis Sentinel">
                {model?.sentinels.map((g) => <SentinelPanel key={g.id} group={g} sig={g.sig} />)}
                {model && model.sentinels.length === 0 && <Empty>No Sentinel group configured.</Empty>}
              </WallPanel>
              <WallPanel title="HAProxy backends" aside={lb ? lb.suspect ? <SuspectChip suspect={lb.suspect} /> : <WallStatus status={lb.status} /> : null}>
                {model?.haproxy.map((h) => <HaproxyPanel key={h.id} lb={h} showName={model.haproxy.length > 1} sig={h.sig} />)}
                {model && model.haproxy.length === 0 && <Empty>No HAProxy configured.</Empty>}
              </WallPanel>
            </div>
          </div>

          <div className="grid min-h-0 grid-rows-[auto_minmax(0,1fr)] gap-[0.7rem]">
            <WallPanel title="Market data" testId="wall-market-data-age">
              {model?.marketData.map((m) => <MarketDataRow key={m.id} check={m} sig={m.sig} />)}
              {model && model.marketData.length === 0 && <Empty>No market-data check configured.</Empty>}
            </WallPanel>
            <WallPanel
              title="Incidents"
              aside={
                model ? (
                  <span className="tabular-nums">
                    {activeIncidents} active{suspectedIncidents > 0 && <span className="font-semibold text-amber-200"> · {suspectedIncidents} suspected</span>}
                  </span>
                ) : null
              }
            >
              {model && <Findings findings={model.findings} sig={model.findingsSig} />}
              {model && <Incidents groups={model.incidents} />}
              <div className="mt-auto border-t border-slate-800 pt-[0.5rem]">{model && <RecentEvents events={model.events} sig={model.eventsSig} />}</div>
            </WallPanel>
          </div>
        </div>
      </div>
      {revoked ? <KioskRevoked /> : stale && <StaleOverlay at={model?.at ?? null} receivedAt={receivedAt} reconnecting={connection === "connecting"} />}
    </div>
  );
}

function KioskRevoked() {
  return (
    <div className="fixed inset-0 z-20 flex items-center justify-center bg-[#030712]/90" role="alert" data-testid="kiosk-revoked">
      <div className="max-w-[60rem] rounded-xl border-4 border-amber-500 bg-slate-950 p-[2.5rem] text-center">
        <p className="text-[3rem] font-bold text-amber-300">
          <span aria-hidden="true">⚠ </span>Kiosk token revoked or expired
        </p>
        <p className="mt-[1rem] text-[1.6rem] text-slate-200">This screen no longer receives data; what it showed is out of date. Ask an admin for a new kiosk link.</p>
      </div>
    </div>
  );
}

/**
 * Pure: what the wall shows, derived from one Snapshot, composed from one model per panel. Every item
 * carries `sig`, a cheap string of exactly the fields its row renders, so memoised rows skip rendering
 * when a new snapshot (five a second) changed nothing they show.
 */
import type { Finding, Overall } from "@/lib/health";
import type { EventView, Snapshot } from "@/lib/snapshot";
import { clusterModels, type ClusterModel } from "./cluster-model";
import { dcsModels, type DcsModel } from "./dcs-model";
import { haproxyModels, type HaproxyModel } from "./haproxy-model";
import { incidentGroups, type IncidentGroupModel } from "./incidents-model";
import { marketDataModels, type MarketDataModel } from "./market-data-model";
import { SEP } from "./model-common";
import { sentinelModels, type SentinelModel } from "./sentinel-model";
import { componentTiles, type ComponentTileModel, type WallSlaInput } from "./tiles-model";
import { vrrpModels, type VrrpModel } from "./vrrp-model";

export interface WallModel {
  at: number;
  title: string;
  overall: { status: Overall; reasons: string[]; sig: string };
  components: ComponentTileModel[];
  clusters: ClusterModel[];
  /** Each cluster's DCS, when the config names one (shown under its cluster). */
  dcs: DcsModel[];
  sentinels: SentinelModel[];
  vrrp: VrrpModel[];
  haproxy: HaproxyModel[];
  marketData: MarketDataModel[];
  incidents: IncidentGroupModel[];
  findings: Finding[];
  findingsSig: string;
  events: EventView[];
  eventsSig: string;
  unitCount: number;
  unitsUp: number;
}

/** Events shown at the foot of the incidents panel. */
const EVENTS_SHOWN = 6;

export function toWallModel(s: Snapshot, sla?: WallSlaInput | null): WallModel {
  const findings = [...s.findings].sort((a, b) => (a.severity === b.severity ? a.since - b.since : a.severity === "CRITICAL" ? -1 : 1));
  const events = s.events.slice(0, EVENTS_SHOWN);
  return {
    at: s.at,
    title: s.title,
    overall: { status: s.overall.status, reasons: s.overall.reasons, sig: [s.overall.status, ...s.overall.reasons].join(SEP) },
    components: componentTiles(s, sla),
    clusters: clusterModels(s, new Map(s.units.map((u) => [u.key, u]))),
    dcs: dcsModels(s),
    sentinels: sentinelModels(s),
    vrrp: vrrpModels(s),
    haproxy: haproxyModels(s),
    marketData: marketDataModels(s),
    incidents: incidentGroups(s),
    findings,
    findingsSig: findings.map((f) => [f.id, f.severity, f.title, f.explanation, f.since].join(",")).join(SEP),
    events,
    eventsSig: events.map((e) => `${e.at}${e.type}${e.message}`).join(SEP),
    unitCount: s.units.length,
    unitsUp: s.units.filter((u) => u.status === "UP").length,
  };
}

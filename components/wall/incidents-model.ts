/** The incidents panel: components not UP or suspected, worst first, each with its own failing units. */
import type { Snapshot } from "@/lib/snapshot";
import type { Status } from "@/lib/status";
import { SEP, suspectOf, suspectSig, type SuspectView } from "./model-common";

export interface IncidentModel {
  key: string;
  component: string;
  name: string;
  status: Status;
  suspect: SuspectView | null;
  /** Epoch ms the confirmed status began (null before a first probe). */
  since: number | null;
  reason: string | null;
  sig: string;
}

export interface IncidentGroupModel extends IncidentModel {
  /** The component's own units that are not UP or are suspected. */
  units: IncidentModel[];
}

/** Severity order for incidents: a confirmed fault first, a mere suspicion last. */
const SEVERITY: Record<Status, number> = { DOWN: 0, DEGRADED: 1, STALE: 2, NO_DATA: 3, UP: 4 };

/** Worst first (a suspicion ranks just below its confirmed status), then the oldest. */
function bySeverity(a: IncidentModel, b: IncidentModel): number {
  const rank = (i: IncidentModel) => Math.min(SEVERITY[i.status], i.suspect ? SEVERITY[i.suspect.status] + 0.5 : 9);
  return rank(a) - rank(b) || (a.since ?? Infinity) - (b.since ?? Infinity) || a.key.localeCompare(b.key);
}

export function incidentGroups(s: Snapshot): IncidentGroupModel[] {
  const unitIncidents = s.units
    .filter((u) => u.status !== "UP" || u.suspect)
    .map<IncidentModel>((u) => {
      const suspect = suspectOf(u.suspect);
      const reason = (u.status === "UP" ? u.suspect?.reason : u.reason) ?? u.reason;
      return {
        key: u.key,
        component: u.component,
        // Inside its component's group a node needs no cluster name: "labcluster/pg3".
        name: u.node ? `${u.targetId}/${u.node}` : u.label,
        status: u.status,
        suspect,
        since: u.since,
        reason,
        sig: [u.key, u.label, u.status, suspectSig(suspect), u.since, reason].join(SEP),
      };
    })
    .sort(bySeverity);
  return s.components
    .map<IncidentGroupModel>((c) => {
      const mine = unitIncidents.filter((i) => i.component === c.id);
      const suspect = suspectOf(c.suspect);
      // How long the incident has run: since the component's last confirmed transition.
      const since = c.status === "UP" ? null : c.since;
      return {
        key: c.id,
        component: c.id,
        name: c.name,
        status: c.status,
        suspect,
        since,
        reason: c.reasons[0] ?? null,
        units: mine,
        sig: [c.name, c.status, suspectSig(suspect), since, c.reasons[0], ...mine.map((i) => i.sig)].join(SEP),
      };
    })
    .filter((g) => g.status !== "UP" || g.suspect || g.units.length > 0)
    .sort(bySeverity);
}

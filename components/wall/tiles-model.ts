/** The component tiles: status, pending change, reason, this month's budget and maintenance. */
import type { Snapshot } from "@/lib/snapshot";
import type { Status } from "@/lib/status";
import { SEP, suspectOf, suspectSig, type SuspectView } from "./model-common";

/** This month's downtime budget of a component, from the control store (null until it has data). */
export interface TileBudget {
  remainingMs: number;
  exhausted: boolean;
}

/** A maintenance window touching the component: going on now, or starting within a day. */
export interface TileMaintenance {
  state: "active" | "upcoming";
  start: number;
  end: number;
  reason: string;
}

export interface ComponentTileModel {
  id: string;
  name: string;
  layer: string;
  sla: number;
  status: Status;
  suspect: SuspectView | null;
  reason: string | null;
  budget: TileBudget | null;
  maintenance: TileMaintenance | null;
  sig: string;
}

/** The SLA part of the wall (the `sla.wall` query), refreshed far less often than the snapshot. */
export interface WallSlaInput {
  budgets: { id: string; remainingMs: number; exhausted: boolean }[];
  maintenance: { components: string[]; start: number; effectiveEnd: number; reason: string; state: string }[];
}

/** Upcoming maintenance shows on a tile from this long before it starts. */
export const MAINTENANCE_AHEAD_MS = 24 * 3_600_000;

function tileMaintenance(sla: WallSlaInput | null | undefined, id: string, at: number): TileMaintenance | null {
  const mine = (sla?.maintenance ?? []).filter((w) => w.components.includes("*") || w.components.includes(id));
  const active = mine.find((w) => w.start <= at && at < w.effectiveEnd);
  const next = active ?? mine.filter((w) => w.start > at && w.start - at <= MAINTENANCE_AHEAD_MS).sort((a, b) => a.start - b.start)[0];
  return next ? { state: next === active ? "active" : "upcoming", start: next.start, end: next.effectiveEnd, reason: next.reason } : null;
}

export function componentTiles(s: Snapshot, sla?: WallSlaInput | null): ComponentTileModel[] {
  const budgets = new Map((sla?.budgets ?? []).map((b) => [b.id, b]));
  return s.components.map<ComponentTileModel>((c) => {
    const suspect = suspectOf(c.suspect);
    const reason = c.reasons[0] ?? null;
    const b = budgets.get(c.id);
    const budget = b ? { remainingMs: b.remainingMs, exhausted: b.exhausted } : null;
    const maintenance = tileMaintenance(sla, c.id, s.at);
    return {
      id: c.id,
      name: c.name,
      layer: c.layer,
      sla: c.sla,
      status: c.status,
      suspect,
      reason,
      budget,
      maintenance,
      sig: [
        c.name, c.layer, c.sla, c.status, suspectSig(suspect), reason ?? "",
        // The tile shows whole seconds of budget.
        budget ? `${Math.round(budget.remainingMs / 1000)}${budget.exhausted}` : "",
        maintenance ? `${maintenance.state}${maintenance.start}-${maintenance.end}` : "",
      ].join(SEP),
    };
  });
}

/** Of many component tiles, the ones to show when not all fit: every problem first, then config order. */
export function pickTiles(tiles: ComponentTileModel[], capacity: number): { shown: ComponentTileModel[]; hiddenUp: number; hiddenOther: number } {
  if (tiles.length <= capacity) return { shown: tiles, hiddenUp: 0, hiddenOther: 0 };
  const room = Math.max(0, capacity - 1); // one slot says what is left out
  const bad = tiles.filter((t) => t.status !== "UP" || t.suspect);
  const picked = new Set((bad.length >= room ? bad.slice(0, room) : [...bad, ...tiles.filter((t) => t.status === "UP" && !t.suspect).slice(0, room - bad.length)]).map((t) => t.id));
  const shown = tiles.filter((t) => picked.has(t.id));
  const hidden = tiles.filter((t) => !picked.has(t.id));
  const hiddenUp = hidden.filter((t) => t.status === "UP" && !t.suspect).length;
  return { shown, hiddenUp, hiddenOther: hidden.length - hiddenUp };
}

import { DAY } from "./period";

/**
 * System availability composed from components. Serial (all needed): A = Π Aᵢ. Parallel (any one
 * suffices): A = 1 − Π(1 − Aᵢ). Computed on unavailabilities so that adding redundancy can never
 * lower the figure, even by a rounding step. Percent in, percent out.
 */

export type CompositionNode =
  | { kind: "component"; id: string; name?: string; availabilityPercent: number }
  | { kind: "serial"; name?: string; children: CompositionNode[] }
  | { kind: "parallel"; name?: string; children: CompositionNode[] };

export interface ComposedNode {
  kind: CompositionNode["kind"];
  label: string;
  availabilityPercent: number;
  /** 1 − availability, as a fraction. */
  unavailability: number;
  children: ComposedNode[];
}

/** The downtime budgets of the seed's table are per 365-day year (26.28 min at 99.995%). */
export const YEAR_MS = 365 * DAY;

/** Components in series, in the order given (the seed's table: every component is needed). */
export function serialOf(components: readonly { id: string; name?: string; sla: number }[], name = "system"): CompositionNode {
  return { kind: "serial", name, children: components.map((c) => ({ kind: "component", id: c.id, name: c.name, availabilityPercent: c.sla })) };
}

export function composeTree(node: CompositionNode): ComposedNode {
  if (node.kind === "component") {
    const p = node.availabilityPercent;
    if (!(p >= 0 && p <= 100)) throw new RangeError(`availability of ${node.id} must be a percentage in [0, 100], got ${p}`);
    const u = (100 - p) / 100;
    // Derived from u like every other node, so that all figures are on one footing.
    return { kind: node.kind, label: node.name ?? node.id, availabilityPercent: 100 * (1 - u), unavailability: u, children: [] };
  }
  const children = node.children.map(composeTree);
  // Empty serial = always up (1), empty parallel = never up (0): the identities of each rule.
  const u =
    node.kind === "serial"
      ? 1 - children.reduce((a, c) => a * (1 - c.unavailability), 1)
      : children.reduce((a, c) => a * c.unavailability, 1);
  return { kind: node.kind, label: node.name ?? node.kind, availabilityPercent: 100 * (1 - u), unavailability: u, children };
}

export const composeAvailability = (node: CompositionNode): number => composeTree(node).availabilityPercent;

export interface FeasibilityPart {
  label: string;
  currentPercent: number;
  /** The target each of the n serial parts must meet for the product to reach the system target: target^(1/n). */
  equalSharePercent: number;
  /** equalSharePercent − currentPercent, in percentage points: positive means this part must improve. */
  gapPercentPoints: number;
  meetsEqualShare: boolean;
  /** What this part alone would need with the others as they are; above 100 means no value of it suffices. */
  aloneNeededPercent: number;
  feasibleAlone: boolean;
  /** Allowed downtime per 365-day year at the current and at the equal-share target. */
  downtimePerYearMs: number;
  equalShareDowntimePerYearMs: number;
}

export interface Feasibility {
  systemTargetPercent: number;
  composedPercent: number;
  met: boolean;
  /** max(0, target − composed), in percentage points. */
  shortfallPercentPoints: number;
  /** System downtime per 365-day year: what the target allows and what the composition implies. */
  targetDowntimePerYearMs: number;
  composedDowntimePerYearMs: number;
  /** The top-level serial parts (a non-serial root is one part). */
  parts: FeasibilityPart[];
  /** One line for the product: "Composed 99.9480% < stated 99.99%: ...". */
  summary: string;
}

/** Relative tolerance on unavailabilities: a product that lands on the target within rounding meets it. */
const TOLERANCE = 1e-9;

/**
 * Checks whether the components' targets can deliver the system target, and what each top-level
 * serial part would need: an equal share target^(1/n), or alone with the others unchanged.
 */
export function checkFeasibility(root: CompositionNode, systemTargetPercent: number): Feasibility {
  if (!(systemTargetPercent > 0 && systemTargetPercent <= 100)) throw new RangeError(`system target must be a percentage in (0, 100], got ${systemTargetPercent}`);
  const composed = composeTree(root);
  const target = systemTargetPercent / 100;
  const targetU = (100 - systemTargetPercent) / 100;
  const tops = root.kind === "serial" ? composed.children : [composed];
  const n = tops.length;
  const share = n > 0 ? Math.pow(target, 1 / n) : 1;
  const shareU = n > 0 ? -Math.expm1(Math.log(target) / n) : 0;
  const parts = tops.map<FeasibilityPart>((p, i) => {
    const others = tops.reduce((a, c, j) => (j === i ? a : a * (1 - c.unavailability)), 1);
    const alone = target / others;
    return {
      label: p.label,
      currentPercent: p.availabilityPercent,
      equalSharePercent: 100 * share,
      gapPercentPoints: 100 * (p.unavailability - shareU),
      meetsEqualShare: p.unavailability <= shareU * (1 + TOLERANCE),
      aloneNeededPercent: 100 * alone,
      feasibleAlone: alone <= 1 + TOLERANCE,
      downtimePerYearMs: Math.round(p.unavailability * YEAR_MS),
      equalShareDowntimePerYearMs: Math.round(shareU * YEAR_MS),
    };
  });
  const met = composed.unavailability <= targetU * (1 + TOLERANCE);
  const fmt = (x: number) => `${x.toFixed(4)}%`;
  const summary = met
    ? `Composed ${fmt(composed.availabilityPercent)} meets the stated ${systemTargetPercent}%.`
    : `Composed ${fmt(composed.availabilityPercent)} is below the stated ${systemTargetPercent}%: ` +
      `${n > 1 ? `each of the ${n} serial parts would need ${fmt(100 * share)}` : `it would need ${systemTargetPercent}%`}` +
      ` (${(shareU * YEAR_MS / 60_000).toFixed(2)} min/year of downtime).`;
  return {
    systemTargetPercent,
    composedPercent: composed.availabilityPercent,
    met,
    shortfallPercentPoints: Math.max(0, systemTargetPercent - composed.availabilityPercent),
    targetDowntimePerYearMs: Math.round(targetU * YEAR_MS),
    composedDowntimePerYearMs: Math.round(composed.unavailability * YEAR_MS),
    parts,
    summary,
  };
}

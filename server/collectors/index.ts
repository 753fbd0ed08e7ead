import "server-only";

/** The app's entry to the collectors: the registry (./registry.ts) and the collector contract. */
export {
  collectors,
  KINDS,
  isKind,
  probeUnit,
  watchUnit,
  samplesOf,
  TARGET_SECTIONS,
  type Kind,
  type Kind as ProbeKind,
  type DataOf,
  type TargetOf,
  type ProbeUnit,
  type UnitOf,
  type Reading,
  type TargetSection,
} from "./registry";
export type { Collector, ProbeResult, Sample } from "./types";

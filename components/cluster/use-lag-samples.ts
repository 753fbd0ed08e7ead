"use client";

import { useReducer } from "react";
import { addSamples, lagSamplesOf, type LiveSample } from "@/lib/lag-series";
import type { Snapshot } from "@/lib/snapshot";

/** Live samples are kept as long as the longest live range (1 h), plus a margin. */
const KEEP_MS = 65 * 60_000;

/** Live lag samples per `subject|metric`, keyed as the lag charts look them up. */
export type LagSamples = Record<string, LiveSample[]>;

function samplesReducer(state: LagSamples, action: { snapshot: Snapshot; clusterId: string }): LagSamples {
  let next: LagSamples | undefined;
  for (const [key, s] of lagSamplesOf(action.snapshot, action.clusterId)) {
    const before = state[key] ?? [];
    const after = addSamples(before, [s], action.snapshot.at, KEEP_MS);
    if (after !== before) (next ??= { ...state })[key] = after;
  }
  return next ?? state;
}

/** Collects one cluster's lag samples from every snapshot; pass `onSnapshot` to the live feed. */
export function useLagSamples(clusterId: string) {
  const [samples, addSnapshot] = useReducer(samplesReducer, {});
  const onSnapshot = (snapshot: Snapshot) => addSnapshot({ snapshot, clusterId });
  return { samples, onSnapshot };
}

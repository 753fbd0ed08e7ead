"use client";

import { useSyncExternalStore } from "react";

/**
 * One shared one-second clock for every ticking figure on a page (data age, durations, time of
 * day): a single interval, and only the components that show time re-render on a tick. Null during
 * server rendering and hydration, so server and browser markup agree.
 */
let now = 0;
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function tick() {
  now = Date.now();
  for (const l of listeners) l();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    timer = setInterval(tick, 1000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

const getSnapshot = () => now;
const getServerSnapshot = () => null;

export function useNow(): number | null {
  const t = useSyncExternalStore<number | null>(subscribe, getSnapshot, getServerSnapshot);
  return t === 0 ? null : t;
}

"use client";

import { useCallback, useState } from "react";

/** An element's content width, rounded down to `quantum` px so small resizes do not re-render (or refetch). */
export function useElementWidth<T extends HTMLElement>(quantum = 50): [(el: T | null) => void, number] {
  const [width, setWidth] = useState(0);
  const ref = useCallback(
    (el: T | null) => {
      if (!el) return;
      const measure = () => setWidth(Math.floor(el.clientWidth / quantum) * quantum);
      measure();
      const ro = new ResizeObserver(measure);
      ro.observe(el);
      return () => ro.disconnect();
    },
    [quantum],
  );
  return [ref, width];
}

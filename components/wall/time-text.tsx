"use client";

import { useSyncExternalStore } from "react";
import { formatDuration } from "@/lib/format";
import { useNow } from "@/components/ui/use-now";

const noop = () => () => {};

/** True in the browser after hydration: times are rendered in the screen's own time zone only. */
function useHydrated(): boolean {
  return useSyncExternalStore(
    noop,
    () => true,
    () => false,
  );
}

const timeFormat = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });

/** A running duration since `since`, ticking every second on its own. */
export function Since({ since, className = "" }: { since: number | null; className?: string }) {
  const now = useNow();
  const text = since === null ? "—" : now === null ? "…" : formatDuration(Math.max(0, now - since) / 1000);
  return <span className={`tabular-nums ${className}`}>{text}</span>;
}

/** A time of day (HH:MM:SS) in the browser's zone. */
export function LocalTime({ at, className = "" }: { at: number; className?: string }) {
  const hydrated = useHydrated();
  return (
    <time className={`tabular-nums ${className}`} dateTime={new Date(at).toISOString()}>
      {hydrated ? timeFormat.format(at) : "--:--:--"}
    </time>
  );
}

/** The screen's clock, so anyone can tell the wall is alive and when "now" is. */
export function WallClock({ className = "" }: { className?: string }) {
  const now = useNow();
  return <span className={`tabular-nums ${className}`}>{now === null ? "--:--:--" : timeFormat.format(now)}</span>;
}

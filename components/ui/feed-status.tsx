"use client";

import type { FeedState } from "@/lib/use-live-snapshot";
import { TonePill } from "./tone-pill";
import { useNow } from "./use-now";

/** Older than this, the page says its data is stale: the feed normally pushes every second. */
const STALE_AFTER_S = 5;

/** Whether the live feed is connected and how old the shown data is, so a frozen page never looks healthy. */
export function FeedStatus({ feed, at }: { feed: FeedState; at: number | null }) {
  const now = useNow();
  const age = at !== null && now !== null ? Math.max(0, Math.round((now - at) / 1000)) : null;
  const stale = age !== null && age > STALE_AFTER_S;
  return (
    <div className="flex items-center gap-2 text-xs text-slate-400" data-testid="feed-status">
      {feed === "live" ? (
        <TonePill tone="good">Live</TonePill>
      ) : feed === "reconnecting" ? (
        <TonePill tone="warn">Reconnecting</TonePill>
      ) : (
        <TonePill tone="unknown">Connecting</TonePill>
      )}
      <span className="inline-block min-w-[9.5rem] tabular-nums" aria-live="off">
        {age === null ? "no data yet" : `updated ${age} s ago`}
      </span>
      {stale && (
        <TonePill tone="warn" testId="feed-stale">
          STALE
        </TonePill>
      )}
    </div>
  );
}

"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useEffect, useRef } from "react";
import type { Snapshot } from "@/lib/snapshot";
import { goToLogin, isSignedOutError, useTRPC } from "@/lib/trpc/client";

export type FeedState = "connecting" | "live" | "reconnecting";

/** While the feed looks dead, open a new connection this often (the server answers a new one with the current snapshot at once). */
const WATCHDOG_MS = 10_000;

export interface LiveSnapshotOptions {
  /** A snapshot rendered by the server, so the first paint needs no request. */
  initial?: Snapshot | null;
  /** The caller's judgement that data is too old (e.g. a half-open connection that never errors): restart the feed. */
  stale?: boolean;
  /** Sees every pushed snapshot, for pages that accumulate history (live lag charts). */
  onSnapshot?: (s: Snapshot) => void;
  /**
   * The server refused the feed because the session or kiosk token is gone. Default: to sign-in and
   * back to this page after it. The feed is not restarted either way.
   */
  onSignedOut?: () => void;
}

/**
 * The server's latest snapshot: first paint from the server-rendered one or `overview.get`, then every
 * change pushed over the `overview.live` SSE subscription, written into the same query. Nothing polls.
 * The link's EventSource reconnects by itself after a network blip or a server restart, and reopens a
 * stream silent for longer than the server's `reconnectAfterInactivityMs` (it pings every 2 s, see
 * server/trpc/init.ts), which catches a half-open connection. On top of that a failed or ended
 * subscription is restarted with backoff, and `stale` restarts it too.
 */
export function useLiveSnapshot({ initial, stale = false, onSnapshot, onSignedOut }: LiveSnapshotOptions = {}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const options = trpc.overview.get.queryOptions(undefined, {
    initialData: initial ?? undefined,
    initialDataUpdatedAt: initial?.at,
    // The subscription keeps it fresh; a refetch would only race it.
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
    retry: 3,
  });
  const query = useQuery(options);
  const { queryKey } = options;

  const subscription = useSubscription(
    trpc.overview.live.subscriptionOptions(undefined, {
      onData: (s) => {
        // By time, not version: a restarted server counts versions from 0 again.
        queryClient.setQueryData(queryKey, (old) => (!old || s.at >= old.at ? s : old));
        onSnapshot?.(s);
      },
    }),
  );
  const { status, reset } = subscription;
  // A session that ended is not a network problem: retrying would only be refused again.
  const signedOut = status === "error" && isSignedOutError(subscription.error);
  const signedOutRef = useRef(onSignedOut);
  useEffect(() => {
    signedOutRef.current = onSignedOut;
  });
  useEffect(() => {
    if (signedOut) (signedOutRef.current ?? goToLogin)();
  }, [signedOut]);

  const failures = useRef(0);
  useEffect(() => {
    if (status === "pending") failures.current = 0;
    if (signedOut || (status !== "error" && status !== "idle")) return;
    const delay = Math.min(WATCHDOG_MS, 1000 * 2 ** failures.current);
    failures.current += 1;
    const t = setTimeout(reset, delay);
    return () => clearTimeout(t);
  }, [status, reset, signedOut]);

  useEffect(() => {
    if (!stale || signedOut) return;
    const t = setInterval(reset, WATCHDOG_MS);
    return () => clearInterval(t);
  }, [stale, reset, signedOut]);

  // tRPC names a running subscription "pending": for a reader it is live.
  const feed: FeedState = status === "pending" ? "live" : status === "error" || status === "idle" ? "reconnecting" : "connecting";
  return {
    snapshot: query.data ?? null,
    receivedAt: query.data ? query.dataUpdatedAt : null,
    error: query.error,
    isPending: query.isPending,
    feed,
    /** The session or kiosk token is gone (the feed stopped for good). */
    signedOut,
    /** tRPC's own: connecting | pending (live) | error | idle */
    connection: status,
  };
}

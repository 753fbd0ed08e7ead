"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import type { ActionView } from "@/lib/actions";
import { useTRPC } from "@/lib/trpc/client";

/**
 * The recent actions: a first read, then every change pushed over `actions.live` (SSE), written into
 * the same query so every component that shows actions sees the same list.
 */
export function useLiveActions(): { actions: ActionView[] | undefined; error: string | null; live: boolean } {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const options = trpc.actions.list.queryOptions({ limit: 50 }, { staleTime: Infinity, refetchOnWindowFocus: false });
  const q = useQuery(options);
  const sub = useSubscription(
    trpc.actions.live.subscriptionOptions(undefined, {
      onData: (list) => qc.setQueryData(options.queryKey, list),
    }),
  );
  return { actions: q.data, error: q.error?.message ?? sub.error?.message ?? null, live: sub.status === "pending" };
}

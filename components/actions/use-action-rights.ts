"use client";

import { useQuery } from "@tanstack/react-query";
import type { ActionRights } from "@/lib/actions";
import { useTRPC } from "@/lib/trpc/client";

const NONE: ActionRights = { userId: null, role: null, mayRequest: false, mayApprove: false, mayAudit: false };

/** What the signed-in person may do; nothing until the server has said (the server checks every call anyway). */
export function useActionRights(): ActionRights {
  const trpc = useTRPC();
  const q = useQuery(trpc.actions.me.queryOptions(undefined, { staleTime: 60_000, refetchOnWindowFocus: false }));
  return q.data ?? NONE;
}

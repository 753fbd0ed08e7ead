"use client";

import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { TRPCClientError, createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { useState, type ReactNode } from "react";
import superjson from "superjson";
import { loginPath } from "@/lib/safe-next";
import type { AppRouter } from "@/server/trpc/root";

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

/** Whether a tRPC error says the session or kiosk token is gone (not a network or server problem). */
export function isSignedOutError(e: unknown): boolean {
  if (!e || typeof e !== "object") return false;
  return ((e as { data?: { code?: string } | null }).data?.code ?? null) === "UNAUTHORIZED";
}

/** To sign-in, and back to this page after it. A full load: nothing of the old session stays in the query cache. */
export function goToLogin(): void {
  window.location.replace(loginPath(window.location.pathname + window.location.search));
}

/** A session that ended (idle, absolute limit, signed out elsewhere, token revoked) sends the page to sign-in. */
function toLoginWhenSignedOut(e: unknown) {
  if (typeof window === "undefined" || !(e instanceof TRPCClientError) || !isSignedOutError(e)) return;
  goToLogin();
}

function makeQueryClient() {
  return new QueryClient({
    queryCache: new QueryCache({ onError: toLoginWhenSignedOut }),
    mutationCache: new MutationCache({ onError: toLoginWhenSignedOut }),
    defaultOptions: {
      // Monitoring data: a refetch on focus is welcome, retries would only delay showing an outage.
      queries: { staleTime: 1_000, retry: 1 },
    },
  });
}

let browserQueryClient: QueryClient | undefined;

function getQueryClient() {
  // On the server every request gets a new client; in the browser one is kept across renders.
  if (typeof window === "undefined") return makeQueryClient();
  return (browserQueryClient ??= makeQueryClient());
}

/** Mirrors server/auth/session.ts ACTIVITY_HEADER (a client module cannot import the server one). */
const ACTIVITY_HEADER = "x-hacr-activity";

/**
 * Whether a person has touched the page since the last request marked as theirs. Only marked
 * requests count as use of the session, so a page left polling still reaches its idle limit.
 */
let inputSinceMark = false;
if (typeof window !== "undefined") {
  const mark = () => {
    inputSinceMark = true;
  };
  window.addEventListener("pointerdown", mark, { capture: true, passive: true });
  window.addEventListener("keydown", mark, { capture: true, passive: true });
}

/** Mutations are always a person's doing; any other call only when input came since the last mark. */
function activityHeaders(opList: readonly { type: string }[]): Record<string, string> {
  const person = opList.some((op) => op.type === "mutation") || inputSinceMark;
  if (!person) return {};
  inputSinceMark = false;
  return { [ACTIVITY_HEADER]: "1" };
}

function getUrl() {
  const base = typeof window !== "undefined" ? "" : `http://127.0.0.1:${process.env.PORT ?? 3000}`;
  return `${base}/api/trpc`;
}

export function TRPCReactProvider({ children }: { children: ReactNode }) {
  const queryClient = getQueryClient();
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [
        splitLink({
          condition: (op) => op.type === "subscription",
          true: httpSubscriptionLink({ url: getUrl(), transformer: superjson }),
          false: httpBatchLink({ url: getUrl(), transformer: superjson, headers: ({ opList }) => activityHeaders(opList) }),
        }),
      ],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}

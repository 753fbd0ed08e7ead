import { headers } from "next/headers";
import { ConfigProblems } from "@/components/config-problems";
import type { Snapshot } from "@/lib/snapshot";
import { tryGetConfig } from "@/server/config";
import { createCaller } from "@/server/trpc/root";
import { createTRPCContext } from "@/server/trpc/init";
import { HomeView } from "./home-view";

export const dynamic = "force-dynamic";

/** The first paint comes with the page; a poller that is not running yet leaves it to the live feed. */
async function firstSnapshot(): Promise<Snapshot | null> {
  try {
    return await createCaller(await createTRPCContext({ headers: await headers() })).overview.get();
  } catch {
    return null;
  }
}

export default async function HomePage() {
  const loaded = tryGetConfig();
  if (!loaded.ok) return <ConfigProblems file={loaded.error.file} problems={loaded.error.problems} />;
  return <HomeView initial={await firstSnapshot()} />;
}

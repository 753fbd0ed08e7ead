import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { ConfigProblems } from "@/components/config-problems";
import type { Snapshot } from "@/lib/snapshot";
import { tryGetConfig } from "@/server/config";
import { createCaller } from "@/server/trpc/root";
import { createTRPCContext, type Context } from "@/server/trpc/init";
import { WallView } from "./wall-view";

export const dynamic = "force-dynamic";

/** The first paint comes with the page; a poller that is not running yet leaves it to the live feed. */
async function firstSnapshot(ctx: Context): Promise<Snapshot | null> {
  try {
    return await createCaller(ctx).overview.get();
  } catch {
    return null;
  }
}

/** The SLA line of the tiles; without the store's figures the wall leaves that line out. */
async function firstSla(ctx: Context): Promise<SlaWall | null> {
  try {
    return await createCaller(ctx).sla.wall();
  } catch {
    return null;
  }
}
type SlaWall = Awaited<ReturnType<ReturnType<typeof createCaller>["sla"]["wall"]>>;

export default async function WallPage() {
  const loaded = tryGetConfig();
  if (!loaded.ok) {
    return (
      <div data-wall-root="" className="fixed inset-0 overflow-hidden bg-[#030712] p-[2rem]">
        <ConfigProblems file={loaded.error.file} problems={loaded.error.problems} />
      </div>
    );
  }
  // A signed-in user or a kiosk token (opened once as /wall?kiosk=<token>, then a cookie).
  const ctx = await createTRPCContext({ headers: await headers() });
  if (!ctx.actor) redirect("/login?next=/wall");
  // Side by side: the SLA figures read the store, the snapshot does not; neither waits for the other.
  const [initial, initialSla] = await Promise.all([firstSnapshot(ctx), firstSla(ctx)]);
  return <WallView initial={initial} initialSla={initialSla} kiosk={ctx.actor.kind === "kiosk"} />;
}

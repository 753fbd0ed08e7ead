import { ConfigProblems } from "@/components/config-problems";
import { tryGetConfig } from "@/server/config";
import { RawStateView } from "./raw-state-view";

export const dynamic = "force-dynamic";

export default function HomePage() {
  const loaded = tryGetConfig();
  if (!loaded.ok) return <ConfigProblems file={loaded.error.file} problems={loaded.error.problems} />;
  return <RawStateView title={loaded.config.title} />;
}

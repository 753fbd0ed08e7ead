import type { Metadata } from "next";
import { ConfigProblems } from "@/components/config-problems";
import { endpointAddress, redisEndpointFromUrl } from "@/server/collectors/redis-connection";
import { tryGetConfig } from "@/server/config";
import { RedisView } from "./redis-view";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Redis · HA Control Room" };

export default function RedisPage() {
  const loaded = tryGetConfig();
  if (!loaded.ok) return <ConfigProblems file={loaded.error.file} problems={loaded.error.problems} />;
  // host:port only: the URL can hold a password, which must not reach the browser.
  const instances = loaded.config.redis.map((r) => ({ id: r.id, address: endpointAddress(redisEndpointFromUrl(r.url, undefined)) }));
  return <RedisView instances={instances} />;
}

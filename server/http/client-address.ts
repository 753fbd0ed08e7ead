import "server-only";
import { clientAddress, ProxyList } from "@/server/auth/client-address";
import { tryGetConfig } from "@/server/config";

/** One list per config object: the config is loaded once per process, so this is built once. */
const lists = new WeakMap<object, ProxyList>();

/**
 * The client address of a route handler's request: the socket peer, or what a configured trusted
 * proxy forwarded (server/auth/client-address.ts decides which headers are believed). Null when it
 * cannot be known, e.g. served by plain `next start`.
 */
export function requestClientAddress(headers: Headers): string | null {
  const loaded = tryGetConfig();
  if (!loaded.ok) return null;
  let proxies = lists.get(loaded.config);
  if (!proxies) lists.set(loaded.config, (proxies = new ProxyList(loaded.config.auth.trustedProxies)));
  return clientAddress(headers, proxies).ip;
}

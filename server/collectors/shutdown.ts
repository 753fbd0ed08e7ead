import "server-only";
import { closePostgresPools } from "./postgres-connection";
import { closeIdleRedisClients, closeRedisClients } from "./redis-connection";
import { closeTcpConnections } from "./tcp";

/** Close every connection the collectors keep between polls (on shutdown, after the poller stopped). */
export async function closeCollectorConnections(): Promise<void> {
  closeRedisClients();
  closeTcpConnections();
  await closePostgresPools();
}

/** Connections of targets no longer polled (a config change, a rotated secret). */
export function closeIdleCollectorConnections(): void {
  closeIdleRedisClients();
}

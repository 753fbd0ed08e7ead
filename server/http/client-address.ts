import "server-only";
import { clientIp } from "@/server/auth/policy";

/**
 * The client address of a route handler's request: the one place the HTTP routes ask, so how it is
 * resolved (which forwarded headers are believed) is decided in server/auth/policy.ts alone.
 */
export function requestClientAddress(headers: Headers): string | null {
  return clientIp(headers);
}

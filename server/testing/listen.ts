import type { Server } from "node:net";
import type { AddressInfo } from "node:net";

/** Test helper: listen on 127.0.0.1, an OS-chosen port; returns the port. */
export function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });
}

/** Close a server and every connection still open on it. */
export function close(server: Server & { closeAllConnections?: () => void }): Promise<void> {
  server.closeAllConnections?.();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A port that was free a moment ago and has nothing listening on it now. */
export async function closedPort(): Promise<number> {
  const { createServer } = await import("node:net");
  const s = createServer();
  const port = await listen(s);
  await close(s);
  return port;
}

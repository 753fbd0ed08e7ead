import "server-only";
import net from "node:net";
import type { Collector, ProbeResult, TcpTarget } from "./types";
import { describeError, preview, since, splitHostPort } from "./util";

export interface TcpData {
  /** What the peer sent before the verdict (escaped, bounded). */
  received: string;
  connectMs: number | null;
}

/** Give up early on a peer that keeps talking without ever sending the expected text. */
const MAX_BUFFER = 4096;

/**
 * Connect, send `target.send`, and wait for `target.expect` (HAProxy's tcp-check send/expect).
 * A complete line without the expected text fails at once rather than waiting for the deadline.
 */
export function probeTcp(target: TcpTarget, signal: AbortSignal): Promise<ProbeResult<TcpData>> {
  const start = performance.now();
  const { host, port } = splitHostPort(target.address);
  return new Promise((resolve) => {
    let buffer = "";
    let connectMs: number | null = null;
    let settled = false;
    const socket = new net.Socket();

    const finish = (result: ProbeResult<TcpData>) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener("abort", onAbort);
      socket.destroy();
      resolve(result);
    };
    const fail = (error: string) =>
      finish({ ok: false, latencyMs: since(start), error, data: { received: preview(buffer), connectMs } });
    const onAbort = () =>
      fail(
        connectMs === null
          ? describeError(null, signal, start, "connecting")
          : `no "${preview(target.expect)}" within the deadline (${Math.round(since(start))} ms)` +
            (buffer ? `; got "${preview(buffer)}"` : "; nothing received"),
      );

    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });

    socket.setEncoding("utf8");
    socket.on("error", (e) => fail(describeError(e, signal, start)));
    socket.on("close", () => fail(`connection closed without "${preview(target.expect)}"` + (buffer ? `; got "${preview(buffer)}"` : "")));
    socket.on("data", (chunk: string) => {
      buffer += chunk;
      if (buffer.includes(target.expect)) {
        return finish({ ok: true, latencyMs: since(start), data: { received: preview(buffer), connectMs } });
      }
      const lineDone = !target.expect.includes("\n") && buffer.includes("\n");
      if (lineDone || buffer.length > MAX_BUFFER) {
        fail(`expected "${preview(target.expect)}", got "${preview(buffer)}"`);
      }
    });
    socket.connect({ host, port }, () => {
      connectMs = since(start);
      if (target.send) socket.write(target.send);
    });
  });
}

export const tcpCollector: Collector<"tcp", TcpTarget, TcpData> = { kind: "tcp", probe: probeTcp };

import http from "node:http";
import https from "node:https";
import net from "node:net";
import { z } from "zod";
import { HostPort, HttpUrl } from "@/server/config/fields";
import { describeError, preview, since, splitHostPort } from "./util";

/**
 * "Who answers on the VIP": keepalived's state says who should hold a virtual IP; a request through
 * the VIP says who does, as the network routes it (ARP). Each node serves its own identity (a tiny
 * endpoint, or HAProxy's/the app's own), so the answer names the node that got the packet.
 */

const isRegex = (s: string) => {
  try {
    new RegExp(s);
    return true;
  } catch {
    return false;
  }
};

const Deadline = z
  .number()
  .int()
  .min(50, { error: "expected at least 50 ms" })
  .max(60_000, { error: "expected at most 60000 ms" })
  .default(1000);

/** Applied to the answer; its first group (else the whole match) is the node's identity. Default: the first line. */
const Match = z
  .string()
  .min(1)
  .refine(isRegex, { error: "expected a regular expression whose first group (or whole match) is the node's identity" })
  .optional();

export const VipProbeHttp = z.strictObject({
  /** GET through the VIP, e.g. http://10.0.1.100:8080/name; a new connection each time, never a pooled one. */
  url: HttpUrl,
  timeoutMs: Deadline,
  match: Match,
});

export const VipProbeTcp = z.strictObject({
  /** VIP:port; the first line the peer sends (after `send`, if given) is the identity. */
  address: HostPort,
  send: z.string().max(256).default(""),
  timeoutMs: Deadline,
  match: Match,
});

export const VipProbe = z.union([VipProbeHttp, VipProbeTcp], {
  error: "expected { url: http://VIP:PORT/name } (HTTP) or { address: VIP:PORT, send?: text } (TCP), each with an optional timeoutMs and match",
});
export type VipProbe = z.infer<typeof VipProbe>;

export interface VipAnswer {
  /** The node of the instance the answer names; null when nothing answered or the answer names no node. */
  node: string | null;
  /** The identity as answered (bounded, escaped); null when nothing answered. */
  answer: string | null;
  /** Why nothing usable answered (connection, HTTP status, deadline); null on an answer. */
  error: string | null;
  latencyMs: number;
}

const MAX_ANSWER = 4096;

/** The identity inside an answer: `match`'s first group or whole match, else the first non-empty line. */
export function identityOf(text: string, match?: string): string | null {
  if (match) {
    const m = new RegExp(match).exec(text);
    return m ? (m[1] ?? m[0]).trim() || null : null;
  }
  return text.split(/\r?\n/).find((l) => l.trim() !== "")?.trim() ?? null;
}

/** The node an identity names: its `identity` if configured, else its name (case-insensitive). */
export function nodeFor(identity: string, nodes: readonly { name: string; identity?: string }[]): string | null {
  const want = identity.toLowerCase();
  return nodes.find((n) => (n.identity ?? n.name).toLowerCase() === want)?.name ?? null;
}

function httpGet(url: string, signal: AbortSignal): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const lib = u.protocol === "https:" ? https : http;
    // agent: false: a fresh connection per probe. A pooled one stays with the node it first reached.
    const req = lib.get(u, { agent: false, signal, headers: { connection: "close", accept: "text/plain, */*" } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => {
        body += c;
        if (body.length > MAX_ANSWER) res.destroy();
      });
      res.on("close", () => resolve({ status: res.statusCode ?? 0, body: body.slice(0, MAX_ANSWER) }));
      res.on("error", reject);
    });
    req.on("error", reject);
  });
}

function tcpAsk(address: string, send: string, signal: AbortSignal): Promise<string> {
  const { host, port } = splitHostPort(address);
  return new Promise((resolve, reject) => {
    let buf = "";
    const socket = net.connect({ host, port, noDelay: true });
    const finish = (e?: Error) => {
      signal.removeEventListener("abort", onAbort);
      socket.destroy();
      if (e) reject(e);
      else resolve(buf);
    };
    const onAbort = () => finish(signal.reason instanceof Error ? signal.reason : new Error("aborted"));
    signal.addEventListener("abort", onAbort, { once: true });
    socket.setEncoding("utf8");
    socket.on("connect", () => {
      if (send) socket.write(send);
    });
    socket.on("data", (c: string) => {
      buf += c;
      if (/\S.*\n/.test(buf) || buf.length > MAX_ANSWER) finish();
    });
    socket.on("end", () => finish());
    socket.on("error", (e) => finish(e));
  });
}

/** Ask the VIP who it is, within the probe's own deadline and the scheduler's. */
export async function probeVipIdentity(
  probe: VipProbe,
  nodes: readonly { name: string; identity?: string }[],
  signal: AbortSignal,
): Promise<VipAnswer> {
  const start = performance.now();
  const deadline = AbortSignal.any([signal, AbortSignal.timeout(probe.timeoutMs)]);
  const fail = (error: string): VipAnswer => ({ node: null, answer: null, error, latencyMs: since(start) });
  let text: string;
  try {
    if ("url" in probe) {
      const r = await httpGet(probe.url, deadline);
      if (r.status !== 200) return fail(`the VIP answered HTTP ${r.status}`);
      text = r.body;
    } else {
      text = await tcpAsk(probe.address, probe.send, deadline);
    }
  } catch (e) {
    return fail(describeError(e, deadline, start, "asking the VIP who it is"));
  }
  const identity = identityOf(text, probe.match);
  if (!identity) return fail(text.trim() ? `the VIP's answer names no identity: "${preview(text)}"` : "the VIP answered nothing");
  return { node: nodeFor(identity, nodes), answer: preview(identity), error: null, latencyMs: since(start) };
}

import { BRIDGE_IP, NETNS, VRRP_NODES } from "./topology";
import { run } from "./proc";

/**
 * The VRRP segment: a bridge namespace (the client/observer) and one namespace per keepalived node,
 * joined by veth pairs. Nothing is added to the root namespace, so 10.77.0.0/24 exists only in here.
 */

export function listNetns(): string[] {
  const r = run("ip", ["netns", "list"], { allowFail: true });
  return r.stdout
    .split("\n")
    .map((l) => l.trim().split(/\s+/)[0] ?? "")
    .filter((n) => n !== "");
}

export function ourNetns(): string[] {
  const ours = new Set<string>(Object.values(NETNS));
  return listNetns().filter((n) => ours.has(n));
}

export function deleteNetns(): void {
  for (const ns of ourNetns()) run("ip", ["netns", "del", ns], { allowFail: true });
}

export function createNetns(): void {
  deleteNetns();
  const br = NETNS.bridge;
  run("ip", ["netns", "add", br]);
  run("ip", ["-n", br, "link", "set", "lo", "up"]);
  run("ip", ["-n", br, "link", "add", "br0", "type", "bridge"]);
  run("ip", ["-n", br, "link", "set", "br0", "up"]);
  run("ip", ["-n", br, "addr", "add", `${BRIDGE_IP}/24`, "dev", "br0"]);
  for (const n of VRRP_NODES) {
    run("ip", ["netns", "add", n.netns]);
    run("ip", ["-n", n.netns, "link", "set", "lo", "up"]);
    run("ip", ["-n", n.netns, "link", "add", "eth0", "type", "veth", "peer", "name", n.veth, "netns", br]);
    run("ip", ["-n", br, "link", "set", n.veth, "master", "br0"]);
    run("ip", ["-n", br, "link", "set", n.veth, "up"]);
    run("ip", ["-n", n.netns, "addr", "add", `${n.ip}/24`, "dev", "eth0"]);
    run("ip", ["-n", n.netns, "link", "set", "eth0", "up"]);
  }
}

export function netnsComplete(): boolean {
  return ourNetns().length === Object.keys(NETNS).length;
}

/** GET a URL from the observer namespace (the only place the VIPs are reachable). */
export function curlFromBridge(url: string, timeoutS = 1): string | undefined {
  const r = run("ip", ["netns", "exec", NETNS.bridge, "curl", "-sf", "--max-time", String(timeoutS), url], { allowFail: true });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** Whether a node's eth0 currently carries an address (the VIP). */
export function nodeHasAddress(netns: string, ip: string): boolean {
  const r = run("ip", ["-n", netns, "-o", "addr", "show", "dev", "eth0"], { allowFail: true });
  return r.stdout.includes(` ${ip}/`);
}

import "server-only";
import type { ActionTarget, ActionView } from "@/lib/actions";
import { resolveTargetActions } from "@/server/config/actions";
import type { Config } from "@/server/config/load";
import { probeRedis } from "@/server/collectors/redis";
import { describeRedisError, withRedis } from "@/server/collectors/redis-connection";
import { probeSentinel, sentinelAuth } from "@/server/collectors/sentinel";
import type { SentinelTarget } from "@/server/collectors/types";
import { describeError, splitHostPort } from "@/server/collectors/util";
import { AppError } from "@/server/errors";
import { judgeSentinel, type SentinelFacts } from "./sentinel-rules";
import type { ActResult, ActionDeps, ActionDriver, Observation, ResolvedTarget } from "./types";

const READ_DEADLINE_MS = 2_000;
const COMMAND_DEADLINE_MS = 5_000;

type Group = SentinelTarget;

/** One Redis node's role as it reports it (INFO replication), through the redis collector. */
async function nodeRole(group: Group, address: string, signal: AbortSignal) {
  const user = group.username ? `${encodeURIComponent(group.username)}@` : "";
  const r = await probeRedis({ id: `${group.id}-${address}`, component: group.component, url: `redis://${user}${address}`, password: group.password }, signal);
  return r.ok
    ? { address, role: r.data.role, error: null, linkUp: r.data.masterLinkStatus === "up", masterAddress: r.data.masterAddress }
    : { address, role: null, error: r.error, linkUp: false, masterAddress: null };
}

async function lastSwitchAt(group: Group, deps: ActionDeps): Promise<number | null> {
  const events = await deps.store.events({ targetId: group.id, limit: 200 });
  return events.find((e) => e.type === "+switch-master")?.at ?? null;
}

async function gather(resolved: ResolvedTarget<Group>, _target: ActionTarget, deps: ActionDeps): Promise<SentinelFacts> {
  const group = resolved.config;
  const signal = AbortSignal.timeout(READ_DEADLINE_MS);
  const [probe, switched] = await Promise.all([probeSentinel(group, signal), lastSwitchAt(group, deps)]);
  const views = probe.data?.sentinels ?? [];
  const master = probe.data?.agree ? (probe.data.master ?? null) : null;
  const describing = views.find((v) => v.ok && v.master === master);
  const replicas = (describing?.replicaNodes ?? []).map((r) => ({ address: r.address, flags: r.flags, linkOk: r.masterLinkStatus === "ok" }));
  const addresses = [...new Set([...(master ? [master] : []), ...replicas.map((r) => r.address)])];
  const nodes = await Promise.all(addresses.map((a) => nodeRole(group, a, signal)));
  return {
    sentinels: views.map((v) => ({ address: v.address, ok: v.ok, master: v.master, quorumOk: v.ckquorum?.ok ?? null, error: v.error })),
    master,
    replicas,
    nodes: nodes.map((n) => ({ address: n.address, role: n.role, error: n.error })),
    lastSwitchAt: switched,
  };
}

/** SENTINEL FAILOVER on the first sentinel that answers; an error reply (NOGOODSLAVE, INPROG) is its refusal. */
async function act(resolved: ResolvedTarget<Group>): Promise<ActResult> {
  const group = resolved.config;
  const unreachable: string[] = [];
  for (const address of group.sentinels) {
    const start = performance.now();
    const signal = AbortSignal.timeout(COMMAND_DEADLINE_MS);
    try {
      const reply = await withRedis({ ...splitHostPort(address), ...sentinelAuth(group) }, signal, COMMAND_DEADLINE_MS, (c) =>
        c.call("SENTINEL", "FAILOVER", group.masterName),
      );
      return { status: "accepted", message: `sentinel ${address} answered ${String(reply)}` };
    } catch (e) {
      // An error reply: refused credentials, a missing permission, NOGOODSLAVE, INPROG; none started a failover.
      if (e instanceof Error && e.name === "ReplyError") {
        return { status: "refused", message: `sentinel ${address} refused: ${describeRedisError(e, signal, start, undefined, "Sentinel").replace(/^redis replied: /, "")}` };
      }
      // Sent but unanswered: it may have started; verification decides.
      if (signal.aborted) return { status: "ambiguous", message: `sentinel ${address} did not answer within ${COMMAND_DEADLINE_MS / 1000} s` };
      unreachable.push(`${address}: ${describeError(e, signal, start)}`);
    }
  }
  return { status: "failed", message: `no sentinel could be reached (${unreachable.join("; ")})` };
}

/**
 * Done when the answering sentinels name a new master, it reports role master, and the old master
 * has become its replica (Sentinel reconfigures it on its next INFO poll, about 10 s later): until
 * then two nodes accept writes, so the action is not over.
 */
async function observe(resolved: ResolvedTarget<Group>, action: ActionView): Promise<Observation> {
  const group = resolved.config;
  const old = action.expectedLeader;
  const signal = AbortSignal.timeout(READ_DEADLINE_MS);
  const probe = await probeSentinel(group, signal);
  const answering = (probe.data?.sentinels ?? []).filter((s) => s.ok);
  const named = [...new Set(answering.map((s) => s.master))];
  if (answering.length === 0) return { done: false, detail: "no sentinel answers" };
  if (named.length !== 1 || !named[0]) return { done: false, detail: `the sentinels do not agree yet: ${named.join(" vs ")}` };
  const master = named[0];
  if (master === old) return { done: false, detail: `the sentinels still name ${master}` };
  const [now, before] = await Promise.all([nodeRole(group, master, signal), old ? nodeRole(group, old, signal) : null]);
  if (now.role !== "master") return { done: false, detail: `${master} does not report role master yet (${now.role ?? now.error})` };
  if (before && !(before.role === "slave" && before.masterAddress === master && before.linkUp)) {
    const what = before.role === "master" ? "still a writable master (Sentinel reconfigures it within about 10 s)" : `${before.role ?? before.error}`;
    return { done: false, detail: `${master} is master; the old master ${old} is ${what}` };
  }
  return { done: true, detail: `${master} is master, named by ${answering.length} sentinels; ${old ?? "the old master"} replicates from it` };
}

function resolve(config: Config, target: ActionTarget): ResolvedTarget<Group> {
  const group = config.sentinels.find((g) => g.id === target.targetId);
  if (!group) throw new AppError("NOT_FOUND", `no Sentinel group "${target.targetId}" in the config`);
  return { kind: target.kind, targetId: group.id, lockKey: `sentinel:${group.id}`, settings: resolveTargetActions("sentinel", group.actions), config: group };
}

export const sentinelDriver: ActionDriver<Group, SentinelFacts> = {
  resolve,
  confirmName: (r) => r.targetId,
  gather,
  currentLeader: (f) => f.master,
  judge: judgeSentinel,
  act: (r) => act(r),
  observe: (r, a) => observe(r, a),
};

"use client";

import { ActionButton } from "./action-button";
import { useActionRights } from "./use-action-rights";

/** Drain or undrain a keepalived node of an instance (a drain moves every VIP the node holds). */
export function VrrpActions({ instances }: { instances: { id: string; instance: string; nodes: { name: string; state: string }[] }[] }) {
  const rights = useActionRights();
  if (!rights.mayRequest || instances.length === 0) return null;
  return (
    <section aria-labelledby="vrrp-actions" className="space-y-2" data-testid="vrrp-actions">
      <h2 id="vrrp-actions" className="text-sm font-semibold tracking-wider text-slate-400 uppercase">
        Actions (two-person approval)
      </h2>
      <p className="text-sm text-slate-400">Draining a node lowers its keepalived priority at runtime (track_file): every VIP it holds moves to its peer.</p>
      {instances.map((i) => (
        <div key={i.id} className="flex flex-wrap items-center gap-2">
          <span className="w-32 font-mono text-sm text-slate-300">{i.instance}</span>
          {i.nodes.map((n) => (
            <span key={n.name} className="flex gap-2">
              <ActionButton target={{ kind: "vrrp_drain", targetId: i.id, node: n.name }} label={`Drain ${n.name}`} testId={`vrrp-drain-${i.id}-${n.name}`} />
              <ActionButton target={{ kind: "vrrp_undrain", targetId: i.id, node: n.name }} label={`Undrain ${n.name}`} testId={`vrrp-undrain-${i.id}-${n.name}`} />
            </span>
          ))}
        </div>
      ))}
    </section>
  );
}

import { memo } from "react";
import { vrrpStateTone } from "@/lib/tone";
import type { VrrpModel } from "./vrrp-model";
import { SuspectChip, ToneWord } from "./wall-status";

const VrrpRow = memo(
  function VrrpRow({ instance, nodeNames }: { instance: VrrpModel; nodeNames: string[]; sig: string }) {
    const split = instance.masters.length > 1;
    return (
      <tr className="border-t border-slate-800 first:border-t-0" data-testid={`wall-vrrp-${instance.id}`} data-status={instance.status}>
        <th scope="row" className="py-[0.3rem] pr-[0.6rem] text-left align-middle">
          <span className="block truncate text-[1.15rem] font-semibold text-slate-100">{instance.instance}</span>
          <span className="block truncate text-[0.85rem] font-normal text-slate-400 tabular-nums">{instance.vips.join(", ") || "no VIP"}</span>
        </th>
        {nodeNames.map((name) => {
          const node = instance.nodes.find((n) => n.name === name);
          if (!node) return <td key={name} className="py-[0.3rem] pr-[0.6rem] text-[1rem] text-slate-400">—</td>;
          return (
            <td key={name} className="py-[0.3rem] pr-[0.6rem] align-middle" data-testid={`wall-vrrp-${instance.id}-${name}`} data-state={node.state}>
              <ToneWord tone={vrrpStateTone(node.state)} className="text-[1.25rem]">
                {node.state}
              </ToneWord>
              <span className="ml-[0.4rem] text-[0.85rem] text-slate-400 tabular-nums">{node.priority ?? ""}</span>
            </td>
          );
        })}
        <td className="py-[0.3rem] text-right align-middle">
          {!split && instance.probed && instance.answeredBy ? (
            // Who really answers on the VIP; red when that is not keepalived's MASTER.
            <span
              className={`text-[1.35rem] font-bold ${instance.answerDisagrees ? "text-red-300" : "text-slate-50"}`}
              data-testid={`wall-vip-holder-${instance.id}`}
              data-answered="true"
              title={instance.answerDisagrees ? `keepalived's MASTER: ${instance.holder ?? "none"}` : "answered on the VIP"}
            >
              {instance.answeredBy}
              {instance.answerDisagrees && <span className="sr-only"> answers, but keepalived&apos;s MASTER is {instance.holder ?? "none"}</span>}
            </span>
          ) : instance.holder ? (
            <span className="text-[1.35rem] font-bold text-slate-50" data-testid={`wall-vip-holder-${instance.id}`}>
              {instance.holder}
            </span>
          ) : (
            <ToneWord tone="bad" className="text-[1.2rem]">
              <span data-testid={`wall-vip-holder-${instance.id}`} title={split ? `split brain: ${instance.masters.join(", ")}` : undefined}>
                {split ? "SPLIT" : "none"}
                {split && <span className="sr-only"> brain: {instance.masters.join(" and ")}</span>}
              </span>
            </ToneWord>
          )}
          {instance.suspect && <SuspectChip suspect={instance.suspect} className="ml-[0.4rem] text-[0.85rem]" />}
        </td>
      </tr>
    );
  },
  (a, b) => a.sig === b.sig && a.nodeNames.join() === b.nodeNames.join(),
);

/** The VRRP role of every node for every instance, and which node holds each VIP. */
export function VrrpTable({ instances }: { instances: VrrpModel[] }) {
  const nodeNames = [...new Set(instances.flatMap((i) => i.nodes.map((n) => n.name)))];
  return (
    <table className="w-full table-fixed border-collapse">
      <caption className="sr-only">keepalived VRRP state per instance and node, and the VIP holder</caption>
      <thead>
        <tr className="text-left text-[0.8rem] tracking-[0.12em] text-slate-400 uppercase">
          <th scope="col" className="w-[9.5rem] pb-[0.15rem] font-semibold">
            Instance
          </th>
          {nodeNames.map((n) => (
            <th key={n} scope="col" className="pb-[0.15rem] font-semibold">
              {n}
            </th>
          ))}
          <th scope="col" className="w-[5.5rem] pb-[0.15rem] text-right font-semibold">
            VIP on
          </th>
        </tr>
      </thead>
      <tbody>
        {instances.map((i) => (
          <VrrpRow key={i.id} instance={i} nodeNames={nodeNames} sig={i.sig} />
        ))}
      </tbody>
    </table>
  );
}

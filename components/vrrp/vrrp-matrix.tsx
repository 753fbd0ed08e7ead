import type { TypedUnit, VrrpNodeView } from "@/lib/unit-data";
import { vrrpStateTone } from "@/lib/tone";
import { StatusBadge } from "@/components/ui/status-badge";
import { SuspectPill } from "@/components/ui/suspect-pill";
import { TonePill } from "@/components/ui/tone-pill";
import { clockAndAge } from "@/components/ui/relative-time";
import { tableClass, theadClass } from "@/components/ui/table-classes";

type VrrpUnit = TypedUnit<"vrrp">;

const th = "px-3 py-2 font-medium align-bottom";
const td = "px-3 py-2 align-top";

function heartbeat(ms: number | null): string {
  if (ms === null) return "—";
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

function NodeCell({ n, instance, splitBrain, now }: { n: VrrpNodeView | undefined; instance: string; splitBrain: boolean; now: number }) {
  if (!n) return <td className={`${td} text-slate-500`}>not in this instance</td>;
  const last = clockAndAge(n.at, now);
  const clash = splitBrain && n.state === "MASTER";
  return (
    <td className={`${td} ${clash ? "bg-red-950/50" : ""}`} data-testid={`vrrp-cell-${instance}-${n.name}`} data-state={n.state}>
      <div className="flex flex-wrap items-center gap-1.5">
        <TonePill tone={clash ? "bad" : vrrpStateTone(n.state)}>{n.state}</TonePill>
        {clash && <span className="text-xs font-semibold text-red-300">claims the VIP too</span>}
      </div>
      {n.state === "UNKNOWN" && (
        <p className="mt-1 max-w-xs text-xs text-slate-300">
          {n.error ?? "keepalived not reporting"}
          {n.lastState && n.error && !n.error.includes("last state") && <> (last said {n.lastState})</>}
        </p>
      )}
      <dl className="mt-1.5 grid grid-cols-[auto_1fr] gap-x-2 text-xs text-slate-400 tabular-nums">
        <dt>base priority</dt>
        <dd className="text-slate-200" data-testid={`vrrp-base-${instance}-${n.name}`}>
          {n.basePriority ?? "—"}
        </dd>
        <dt>effective</dt>
        <dd data-testid={`vrrp-effective-${instance}-${n.name}`} data-priority={n.priority ?? undefined}>
          <Effective n={n} />
        </dd>
        <dt>changed</dt>
        <dd className="text-slate-200">{last ? `${last.clock} · ${last.ago}` : "—"}</dd>
        <dt>heartbeat</dt>
        <dd className="text-slate-200">{heartbeat(n.heartbeatAgeMs)} old</dd>
      </dl>
    </td>
  );
}

/** The effective priority, with how far a tracked script, interface or drain has moved it from the base. */
function Effective({ n }: { n: VrrpNodeView }) {
  if (n.priority === null) return <span className="text-slate-200">—</span>;
  const delta = n.basePriority === null ? 0 : n.priority - n.basePriority;
  return (
    <span className={delta < 0 ? "font-semibold text-amber-200" : "text-slate-200"}>
      {n.priority}
      {delta !== 0 && <span> ({delta > 0 ? "+" : "−"}{Math.abs(delta)}{delta < 0 ? ", lowered by a failed track or a drain" : ""})</span>}
      {n.priorityVia === "notify" && <span className="font-normal text-slate-400"> at the last transition</span>}
    </span>
  );
}

function Holder({ data }: { data: NonNullable<VrrpUnit["data"]> }) {
  if (data.masters.length === 1) return <span className="font-mono font-semibold text-emerald-300">{data.masters[0]}</span>;
  if (data.masters.length === 0) return <TonePill tone="bad">NOBODY: VIP down</TonePill>;
  return <TonePill tone="bad">CONTESTED: {data.masters.join(" + ")}</TonePill>;
}

/** Who answered on the VIP (the identity probe), and whether that is keepalived's MASTER. */
function VipAnswerLine({ data, instance }: { data: NonNullable<VrrpUnit["data"]>; instance: string }) {
  const v = data.vipAnswer;
  if (!v) return null;
  const master = data.masters.length === 1 ? data.masters[0] : null;
  const who = v.node ?? v.answer;
  const agrees = v.node !== null && (master === null || v.node === master);
  return (
    <p className="mt-1 text-xs text-slate-300" data-testid={`vrrp-answer-${instance}`} data-node={v.node ?? undefined} data-agrees={who ? String(agrees) : undefined}>
      {who ? (
        <>
          VIP answered by{" "}
          <span className={`font-mono font-semibold ${agrees ? "text-emerald-300" : "text-red-300"}`}>{v.node ?? `"${v.answer}" (not a node)`}</span>
          {!agrees && master && <span className="font-semibold text-red-300">, not the MASTER {master}</span>}
        </>
      ) : (
        <span className="text-amber-200">VIP does not answer: {v.error ?? "no answer"}</span>
      )}
    </p>
  );
}

/** VRRP instances × keepalived nodes: each node's state, priority, last transition and heartbeat; who holds each VIP. */
export function VrrpMatrix({ units, now }: { units: VrrpUnit[]; now: number }) {
  const nodes = [...new Set(units.flatMap((u) => u.data?.nodes.map((n) => n.name) ?? []))];
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-800 bg-slate-900/60">
      <table className={tableClass} data-testid="vrrp-matrix">
        <caption className="sr-only">VRRP instances by keepalived node</caption>
        <thead className={theadClass}>
          <tr>
            <th scope="col" className={th}>Instance</th>
            <th scope="col" className={th}>VIP</th>
            <th scope="col" className={th}>VIP holder</th>
            {nodes.map((n) => (
              <th key={n} scope="col" className={`${th} font-mono normal-case`}>
                {n}
              </th>
            ))}
            <th scope="col" className={th}>Verdict</th>
          </tr>
        </thead>
        <tbody>
          {units.map((u) => {
            const d = u.data;
            const splitBrain = (d?.masters.length ?? 0) > 1;
            const instance = d?.instance ?? u.targetId;
            return (
              <tr
                key={u.key}
                className={`border-t border-slate-800 ${splitBrain ? "outline-2 -outline-offset-2 outline-red-600" : ""}`}
                data-testid={`vrrp-row-${instance}`}
              >
                <th scope="row" className={`${td} font-mono`}>
                  {instance}
                  {splitBrain && (
                    <div className="mt-1">
                      <TonePill tone="bad">SPLIT BRAIN</TonePill>
                    </div>
                  )}
                </th>
                <td className={`${td} font-mono text-xs`}>{d?.vips.join(", ") || "—"}</td>
                <td className={td}>
                  <div data-testid={`vrrp-holder-${instance}`}>{d ? <Holder data={d} /> : "—"}</div>
                  {d && <VipAnswerLine data={d} instance={instance} />}
                </td>
                {nodes.map((n) =>
                  d ? (
                    <NodeCell key={n} n={d.nodes.find((x) => x.name === n)} instance={instance} splitBrain={splitBrain} now={now} />
                  ) : (
                    <td key={n} className={`${td} text-slate-500`}>
                      no data
                    </td>
                  ),
                )}
                <td className={td}>
                  <StatusBadge status={u.status} />
                  {u.suspect && (
                    <span className="ml-1">
                      <SuspectPill suspect={u.suspect} />
                    </span>
                  )}
                  <p className="mt-1 max-w-[16rem] text-xs text-slate-400">{u.reason ?? ""}</p>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="border-t border-slate-800 px-3 py-2 text-xs text-slate-400">
        The holder is the node whose keepalived says MASTER; &quot;VIP answered by&quot; is who really answers a request through the VIP
        (the instance&apos;s identity probe), which a killed keepalived or stale ARP caches can make differ. Base priority is the node&apos;s <code>priority</code> in keepalived.conf (from
        the dashboard config); effective is what keepalived itself reports after its tracked scripts, interfaces and files (a drain)
        have added their weights, as its notify FIFO announces every change. The highest effective priority wins the VIP. UNKNOWN means
        keepalived is not reporting: its heartbeat is older than allowed or missing, so its last word is not trusted.
      </p>
    </div>
  );
}

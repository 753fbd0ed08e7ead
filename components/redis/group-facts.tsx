import { Facts } from "@/components/ui/facts";
import { TonePill } from "@/components/ui/tone-pill";
import type { SentinelData } from "@/lib/unit-data";

/** A Sentinel group at a glance: the master the sentinels name, how many answer, and the quorum. */
export function GroupFacts({ groupId, data: d }: { groupId: string; data: SentinelData | null }) {
  return (
    <Facts
      items={[
        { label: "Master name", value: <span className="font-mono">{d?.masterName ?? "—"}</span> },
        {
          label: "Master",
          value: d?.master ? (
            <span className="font-mono font-semibold text-emerald-300">{d.master}</span>
          ) : d && !d.agree ? (
            <TonePill tone="bad">SENTINELS DISAGREE</TonePill>
          ) : (
            <TonePill tone="unknown">unknown</TonePill>
          ),
          testId: `redis-master-${groupId}`,
        },
        {
          label: "Sentinels answering",
          value: d ? `${d.sentinels.filter((s) => s.ok).length} of ${d.sentinels.length}` : "—",
        },
        {
          label: "Quorum (CKQUORUM)",
          value:
            d?.quorumOk === true ? <TonePill tone="good">OK</TonePill> : d?.quorumOk === false ? <TonePill tone="bad">NO QUORUM</TonePill> : <TonePill tone="unknown">unknown</TonePill>,
        },
      ]}
    />
  );
}

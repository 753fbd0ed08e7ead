import { TonePill } from "@/components/ui/tone-pill";

const ROLE_LABEL: Record<string, string> = {
  leader: "Leader",
  standby_leader: "Standby leader",
  sync_standby: "Sync standby",
  replica: "Replica",
};

/** Patroni's role in words; the leader gets a star, a member the DCS no longer lists is flagged. */
export function RoleLabel({ role }: { role: string }) {
  if (role === "absent") return <TonePill tone="bad">Absent from DCS</TonePill>;
  if (role === "leader" || role === "standby_leader") {
    return (
      <span className="font-semibold text-emerald-300">
        <span aria-hidden="true">★ </span>
        {ROLE_LABEL[role]}
      </span>
    );
  }
  return <span>{ROLE_LABEL[role] ?? role}</span>;
}

import Link from "next/link";
import type { Snapshot, UnitSnapshot } from "@/lib/snapshot";
import { STATUS_TONE, STATUS_WORD } from "@/lib/tone";
import { TonePill } from "@/components/ui/tone-pill";
import { tally } from "./views";

interface Card {
  id: string;
  href: string;
  title: string;
  what: string;
  /** The units the page shows, for an "N/M UP" pill; none for pages that are not about probes. */
  units?: UnitSnapshot[];
}

function cardsOf(s: Snapshot): Card[] {
  const of = (...kinds: string[]) => s.units.filter((u) => kinds.includes(u.kind));
  const clusters: Card[] =
    s.clusters.length === 0
      ? [{ id: "clusters", href: "/clusters", title: "Clusters", what: "Patroni clusters", units: of("patroni", "postgres") }]
      : s.clusters.map((c) => ({
          id: `cluster-${c.id}`,
          href: `/clusters/${encodeURIComponent(c.id)}`,
          title: c.name,
          what: "Members, replication lag, timeline history, switchover",
          units: of("patroni", "postgres").filter((u) => u.targetId === c.id),
        }));
  return [
    { id: "wall", href: "/wall", title: "Wall", what: "The whole stack on one screen, for the NOC display" },
    ...clusters,
    { id: "vrrp", href: "/vrrp", title: "VRRP", what: "Who holds each VIP, priorities, split brain", units: of("vrrp") },
    { id: "redis", href: "/redis", title: "Redis", what: "Sentinel quorum, master, replication, memory", units: of("sentinel", "redis") },
    { id: "haproxy", href: "/haproxy", title: "HAProxy", what: "Backends and each server's health check", units: of("haproxy") },
    { id: "sla", href: "/sla", title: "SLA", what: "Downtime budgets, burn rates, incidents, reports" },
    { id: "approvals", href: "/approvals", title: "Approvals", what: "Guarded actions waiting, running and done" },
  ];
}

/** A way into every view, with the state of what it shows. */
export function ViewCards({ snapshot }: { snapshot: Snapshot }) {
  return (
    <ul className="grid grid-cols-[repeat(auto-fill,minmax(13rem,1fr))] gap-3" data-testid="home-views">
      {cardsOf(snapshot).map((c) => {
        const t = c.units ? tally(c.units) : null;
        return (
          <li key={c.id}>
            <Link
              href={c.href}
              className="block h-full rounded-lg border border-slate-800 bg-slate-900/60 p-3 transition-colors hover:border-sky-700 hover:bg-slate-900 focus-visible:outline-2 focus-visible:outline-sky-400"
              data-testid={`home-view-${c.id}`}
            >
              <span className="flex items-baseline justify-between gap-2">
                <span className="font-semibold text-sky-300">{c.title}</span>
                {t?.worst && (
                  <TonePill tone={STATUS_TONE[t.worst]}>{t.up === t.total ? `${t.total}/${t.total} UP` : `${STATUS_WORD[t.worst]} · ${t.up}/${t.total} UP`}</TonePill>
                )}
              </span>
              <span className="mt-1 block text-xs text-slate-400">{c.what}</span>
            </Link>
          </li>
        );
      })}
    </ul>
  );
}

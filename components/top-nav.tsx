import Link from "next/link";
import { hasRole, type Viewer } from "@/lib/roles";
import { NavLinks } from "./nav-links";
import { UserMenu } from "./user-menu";

const LINKS = [
  { href: "/", label: "Overview" },
  { href: "/wall", label: "Wall" },
  { href: "/clusters", label: "Clusters" },
  { href: "/vrrp", label: "VRRP" },
  { href: "/redis", label: "Redis" },
  { href: "/haproxy", label: "HAProxy" },
  { href: "/sla", label: "SLA" },
  { href: "/approvals", label: "Approvals" },
  { href: "/alerts", label: "Alerts" },
] as const;

/** Shown to admins only; the server refuses everyone else anyway. */
const ADMIN_LINKS = [{ href: "/admin", label: "Admin" }] as const;

export function TopNav({ title, viewer }: { title: string; viewer: Viewer | null }) {
  const isAdmin = viewer?.kind === "user" && hasRole(viewer.role, "admin");
  return (
    <header className="border-b border-slate-800 bg-slate-900/80">
      <nav className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3" aria-label="Main">
        <Link href="/" className="font-semibold tracking-tight text-slate-100">
          {title}
        </Link>
        <NavLinks links={isAdmin ? [...LINKS, ...ADMIN_LINKS] : LINKS} />
        {viewer && <UserMenu viewer={viewer} />}
      </nav>
    </header>
  );
}

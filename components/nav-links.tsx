"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

/** The main navigation; the current page is marked with aria-current and an underline, not colour alone. */
export function NavLinks({ links }: { links: readonly { href: string; label: string }[] }) {
  const path = usePathname();
  return (
    <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
      {links.map((l) => {
        const current = l.href === "/" ? path === "/" : path === l.href || path.startsWith(`${l.href}/`);
        return (
          <li key={l.href}>
            <Link
              href={l.href}
              aria-current={current ? "page" : undefined}
              className={`rounded px-1 py-0.5 underline-offset-4 focus-visible:outline-2 focus-visible:outline-sky-400 ${
                current ? "font-semibold text-white underline decoration-2" : "text-slate-300 hover:text-white"
              }`}
            >
              {l.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}

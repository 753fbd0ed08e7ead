import Link from "next/link";

const LINKS = [{ href: "/", label: "Raw state" }] as const;

export function TopNav({ title }: { title: string }) {
  return (
    <header className="border-b border-slate-800 bg-slate-900/80">
      <nav className="mx-auto flex max-w-7xl items-center gap-6 px-4 py-3" aria-label="Main">
        <Link href="/" className="font-semibold tracking-tight text-slate-100">
          {title}
        </Link>
        <ul className="flex gap-4 text-sm">
          {LINKS.map((l) => (
            <li key={l.href}>
              <Link href={l.href} className="text-slate-300 hover:text-white">
                {l.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
    </header>
  );
}

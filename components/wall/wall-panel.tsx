import type { ReactNode } from "react";

/** A titled region of the wall; it clips rather than grows, so the wall never scrolls. */
export function WallPanel({
  title,
  aside,
  children,
  className = "",
  testId,
}: {
  title: string;
  aside?: ReactNode;
  children: ReactNode;
  className?: string;
  testId?: string;
}) {
  return (
    <section className={`flex min-h-0 min-w-0 flex-col overflow-hidden rounded-xl border border-slate-800 bg-slate-900/40 p-[0.8rem] ${className}`} data-testid={testId}>
      <header className="mb-[0.5rem] flex items-baseline justify-between gap-[0.6rem]">
        <h2 className="text-[0.95rem] font-bold tracking-[0.14em] text-slate-300 uppercase">{title}</h2>
        {aside && <div className="text-[0.95rem] text-slate-300">{aside}</div>}
      </header>
      <div className="flex min-h-0 flex-1 flex-col gap-[0.6rem]">{children}</div>
    </section>
  );
}

/** A small uppercase caption above a value. */
export function Caption({ children }: { children: ReactNode }) {
  return <span className="text-[0.8rem] font-semibold tracking-[0.12em] text-slate-400 uppercase">{children}</span>;
}

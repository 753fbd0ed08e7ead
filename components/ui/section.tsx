import type { ReactNode } from "react";

export function Section({ title, empty, children }: { title: string; empty: boolean; children: ReactNode }) {
  return (
    <section className="space-y-3">
      <h2 className="text-sm font-semibold tracking-wider text-slate-400 uppercase">{title}</h2>
      {empty ? <p className="text-sm text-slate-500">None configured.</p> : children}
    </section>
  );
}

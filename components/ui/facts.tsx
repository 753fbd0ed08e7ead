import type { ReactNode } from "react";

/** A compact list of labelled facts (dl), e.g. leader, timeline, sync standby. */
export function Facts({ items }: { items: { label: string; value: ReactNode; testId?: string }[] }) {
  return (
    <dl className="grid grid-cols-[repeat(auto-fill,minmax(10rem,1fr))] gap-x-6 gap-y-2 text-sm">
      {items.map((i) => (
        <div key={i.label} className="min-w-0">
          <dt className="text-xs tracking-wide text-slate-400 uppercase">{i.label}</dt>
          <dd className="mt-0.5 truncate text-slate-100 tabular-nums" data-testid={i.testId}>
            {i.value}
          </dd>
        </div>
      ))}
    </dl>
  );
}

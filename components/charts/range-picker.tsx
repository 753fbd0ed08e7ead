"use client";

import { LAG_RANGES, type LagRange } from "@/lib/lag-series";

/** The chart range, as a group of toggle buttons (aria-pressed): one choice for every chart on the page. */
export function RangePicker({ value, onChange }: { value: LagRange; onChange: (r: LagRange) => void }) {
  return (
    <div role="group" aria-label="Chart range" className="inline-flex overflow-hidden rounded border border-slate-700">
      {LAG_RANGES.map((r) => {
        const on = r.id === value;
        return (
          <button
            key={r.id}
            type="button"
            aria-pressed={on}
            onClick={() => onChange(r.id)}
            data-testid={`range-${r.id}`}
            className={`border-l border-slate-700 px-3 py-1 text-sm first:border-l-0 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-sky-400 ${
              on ? "bg-sky-900 font-semibold text-white" : "bg-slate-900 text-slate-300 hover:bg-slate-800"
            }`}
          >
            {on && <span aria-hidden="true">✓ </span>}
            {r.label}
          </button>
        );
      })}
    </div>
  );
}

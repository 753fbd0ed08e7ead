import type { ReactNode } from "react";
import type { Status } from "@/lib/status";
import { formatMs } from "@/lib/format";
import { StatusBadge } from "./status-badge";

/** One monitored target: header with name, status word, endpoint and latency; details below. */
export function Panel(props: {
  name: string;
  status: Status;
  endpoint: string;
  latencyMs: number | null;
  error: string | null;
  testId?: string;
  children?: ReactNode;
}) {
  return (
    <article className="rounded-lg border border-slate-800 bg-slate-900/60 p-4" data-testid={props.testId}>
      <header className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <h3 className="font-medium text-slate-100">{props.name}</h3>
        <StatusBadge status={props.status} />
        <span className="font-mono text-xs text-slate-500">{props.endpoint}</span>
        <span className="ml-auto text-xs text-slate-400">{formatMs(props.latencyMs)}</span>
      </header>
      {props.error && (
        <p className="mt-2 text-sm text-red-300">
          <span aria-hidden="true">✖ </span>
          {props.error}
        </p>
      )}
      {props.children && <div className="mt-3">{props.children}</div>}
    </article>
  );
}

import type { ReactNode } from "react";
import type { Suspect } from "@/lib/health";
import type { Status } from "@/lib/status";
import { formatMs } from "@/lib/format";
import { StatusBadge } from "./status-badge";
import { SuspectPill } from "./suspect-pill";

/** One monitored target: header with name, status word (and any pending change), endpoint and latency; details below. */
export function Panel(props: {
  name: ReactNode;
  status: Status;
  suspect?: Pick<Suspect, "status" | "count" | "needed"> | null;
  endpoint?: string;
  latencyMs?: number | null;
  error: string | null;
  testId?: string;
  children?: ReactNode;
}) {
  return (
    <article className="rounded-lg border border-slate-800 bg-slate-900/60 p-4" data-testid={props.testId} data-status={props.status}>
      <header className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <h3 className="font-medium text-slate-100">{props.name}</h3>
        <StatusBadge status={props.status} />
        {props.suspect && <SuspectPill suspect={props.suspect} />}
        {props.endpoint && <span className="font-mono text-xs text-slate-500">{props.endpoint}</span>}
        {props.latencyMs !== undefined && <span className="ml-auto text-xs text-slate-400">{formatMs(props.latencyMs)}</span>}
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

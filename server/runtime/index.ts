import "server-only";
import { getConfig } from "@/server/config";
import { Runtime, type RuntimeSink } from "./runtime";

/**
 * One runtime per server process, on globalThis so `next dev` hot reloads do not start a second
 * poller. Started from instrumentation.ts, never from a request handler.
 */
const g = globalThis as unknown as { __haRuntime?: Runtime; __haRuntimeStarting?: Promise<Runtime> };

const LEVELS = { debug: 10, info: 20, error: 30 } as const;
function logger() {
  const min = LEVELS[(process.env.HA_LOG_LEVEL as keyof typeof LEVELS) ?? "info"] ?? LEVELS.info;
  return (level: keyof typeof LEVELS, line: string) => {
    if (LEVELS[level] < min) return;
    (level === "error" ? console.error : console.log)(line);
  };
}

export async function startRuntime(sink: RuntimeSink | null): Promise<Runtime> {
  if (g.__haRuntime) return g.__haRuntime;
  g.__haRuntimeStarting ??= (async () => {
    const runtime = new Runtime({ config: getConfig(), sink, log: logger() });
    await runtime.start();
    g.__haRuntime = runtime;
    return runtime;
  })();
  return g.__haRuntimeStarting;
}

/** The running runtime; undefined before instrumentation started it (e.g. during `next build`). */
export function getRuntime(): Runtime | undefined {
  return g.__haRuntime;
}

export async function stopRuntime(): Promise<void> {
  const r = g.__haRuntime;
  g.__haRuntime = undefined;
  g.__haRuntimeStarting = undefined;
  await r?.stop();
}

/**
 * Runs the real promtool (Debian's `prometheus` package; scripts/install-deps.sh installs it) for the
 * exporter's and the docs' tests. Missing promtool fails the test that needs it, naming the fix.
 * Test-only; nothing in the app imports this file.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

export const PROMTOOL = process.env.PROMTOOL ?? "/usr/bin/promtool";

export function promtool(args: string[], input?: string): { code: number; output: string } {
  if (!existsSync(PROMTOOL)) throw new Error(`${PROMTOOL} not found: install Debian's prometheus package (scripts/install-deps.sh) or set PROMTOOL`);
  const r = spawnSync(PROMTOOL, args, { input, encoding: "utf8", timeout: 30_000 });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, output: `${r.stdout}${r.stderr}`.trim() };
}

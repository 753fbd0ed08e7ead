/**
 * `import "server-only"` throws outside Next's react-server build. The bench imports server modules
 * directly (as vitest does with its alias), so this resolve hook maps the marker package to its empty
 * module. Use with: node --import tsx --import ./bench/server-only-shim.mjs <file>
 */
import { register } from "node:module";

const empty = new URL("../node_modules/server-only/empty.js", import.meta.url).href;
const hook = `export async function resolve(specifier, context, next) {
  if (specifier === "server-only") return { url: ${JSON.stringify(empty)}, shortCircuit: true };
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);

/**
 * Runs in the browser before the app's own code. Zod compiles fast object parsers with `new Function`
 * after probing whether eval is allowed; under the dashboard's CSP (no 'unsafe-eval') that probe is
 * blocked and reported as a violation, although zod catches it. Jitless, zod never probes and parses
 * with its interpreter. The same object zod's core reads as its global config, whichever loads first.
 */
const g = globalThis as { __zod_globalConfig?: { jitless?: boolean } };
g.__zod_globalConfig ??= {};
g.__zod_globalConfig.jitless = true;

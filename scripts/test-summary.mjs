// Sums the JSON reports of vitest and Playwright into one plain closing line: "tests: N passed, N failed, N skipped".
// A failed test, a suite that failed outside its tests (beforeAll, import), a runner error (Playwright
// globalSetup, a vitest run that says success: false) and an expected report that is missing or
// unreadable each count as a failure, so a red run can never close on "0 failed".
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

/** The reports scripts/test-all.sh writes, in the order it runs their suites. */
export const EXPECTED_REPORTS = ["unit", "lab", "playwright", "lab-down"];

const firstLine = (s) => String(s ?? "").split("\n").find((l) => l.trim() !== "")?.trim() ?? "";
const shown = (file, cwd) => {
  const rel = cwd && path.isAbsolute(file) ? path.relative(cwd, file) : file;
  return rel.startsWith("..") ? file : rel;
};

function playwrightCounts(r) {
  const errors = (r.errors ?? []).map((e) => `runner error: ${firstLine(e.message ?? e.stack ?? e.value) || "(no message)"}`);
  return {
    passed: r.stats.expected + (r.stats.flaky ?? 0),
    failedTests: r.stats.unexpected,
    skipped: r.stats.skipped ?? 0,
    problems: errors,
    flaky: r.stats.flaky ?? 0,
  };
}

function vitestCounts(r, cwd) {
  const problems = [];
  for (const file of r.testResults ?? []) {
    const hasFailedTest = (file.assertionResults ?? []).some((a) => a.status === "failed");
    if (file.status === "failed" && !hasFailedTest) {
      problems.push(`failed suite: ${shown(file.name, cwd)} (${firstLine(file.message) || "a hook such as beforeAll failed; see the log"})`);
    }
  }
  const failedTests = r.numFailedTests ?? 0;
  if (r.success === false && failedTests === 0 && problems.length === 0) {
    problems.push("runner error: vitest reported success: false with no failed test (no test files, or an error outside the tests such as a global setup)");
  }
  return { passed: r.numPassedTests ?? 0, failedTests, skipped: (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0), problems, flaky: 0 };
}

/**
 * One report's counts. `text` undefined means the file was not there; `exitCode`, when known, is how
 * the command that should have written it ended.
 */
function countReport({ name, text, exitCode, readError }, failedSteps, cwd) {
  const missing = (why) => ({ name, passed: 0, failed: 1, skipped: 0, problems: [why] });
  if (text === undefined) {
    const ran = exitCode === undefined ? "the suite did not run" : `the command exited ${exitCode} without writing it`;
    const others = failedSteps.filter((s) => s !== name);
    const before = others.length ? `; failed steps: ${others.join(", ")}` : "";
    return missing(`no report: ${name}.json ${readError ? `could not be read (${readError})` : "is missing"} (${ran}${before})`);
  }
  let r;
  try {
    r = JSON.parse(text);
  } catch (e) {
    return missing(`unreadable report: ${name}.json is not JSON (${firstLine(e instanceof Error ? e.message : e)})`);
  }
  let c;
  if (r && typeof r === "object" && r.stats && "expected" in r.stats) c = playwrightCounts(r);
  else if (r && typeof r === "object" && Array.isArray(r.testResults)) c = vitestCounts(r, cwd);
  else return missing(`unreadable report: ${name}.json is neither a vitest nor a Playwright JSON report`);
  const problems = [...c.problems];
  if (exitCode !== undefined && exitCode !== 0 && c.failedTests === 0 && problems.length === 0) {
    problems.push(`runner error: the command exited ${exitCode} but its report shows no failure (an unhandled error? see the log)`);
  }
  return { name, passed: c.passed, failed: c.failedTests + problems.length, skipped: c.skipped, flaky: c.flaky, problems };
}

/**
 * The summary of one run: a line per report (with a line per problem under it) and the closing line.
 * `reports` lists every expected report, present or not; `steps` maps step names to exit codes.
 */
export function summarise(reports, { steps = {}, cwd } = {}) {
  const failedSteps = Object.entries(steps).filter(([, code]) => code !== 0).map(([s]) => s);
  const lines = [];
  let passed = 0, failed = 0, skipped = 0;
  for (const report of reports) {
    const c = countReport(report, failedSteps, cwd);
    passed += c.passed;
    failed += c.failed;
    skipped += c.skipped;
    const flaky = c.flaky ? `, ${c.flaky} flaky` : "";
    lines.push(`${c.name}: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped${flaky}`);
    for (const p of c.problems) lines.push(`  ${p}`);
  }
  lines.push(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  return { passed, failed, skipped, lines };
}

/** Reads `<dir>/<name>.json` for every expected report (and any other JSON there), and `<dir>/<step>.exit`. */
export function readReports(dir, expected = EXPECTED_REPORTS) {
  const entries = existsSync(dir) ? readdirSync(dir) : [];
  const extra = entries.filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -5)).filter((n) => !expected.includes(n)).sort();
  const steps = {};
  for (const f of entries.filter((f) => f.endsWith(".exit"))) {
    const code = Number(readFileSync(path.join(dir, f), "utf8").trim());
    if (Number.isInteger(code)) steps[f.slice(0, -5)] = code;
  }
  const reports = [...expected, ...extra].map((name) => {
    const file = path.join(dir, `${name}.json`);
    const exitCode = steps[name];
    if (!existsSync(file)) return { name, exitCode };
    try {
      return { name, exitCode, text: readFileSync(file, "utf8") };
    } catch (e) {
      return { name, exitCode, readError: firstLine(e instanceof Error ? e.message : e) };
    }
  });
  return { reports, steps };
}

function main(argv) {
  const [dir, ...names] = argv;
  if (!dir) {
    console.error("usage: node scripts/test-summary.mjs <reports-dir> [report names; default: unit lab playwright lab-down]");
    return 2;
  }
  const { reports, steps } = readReports(dir, names.length ? names : EXPECTED_REPORTS);
  const s = summarise(reports, { steps, cwd: process.cwd() });
  console.log(s.lines.join("\n"));
  return s.failed > 0 ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) process.exitCode = main(process.argv.slice(2));

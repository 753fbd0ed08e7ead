import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readReports, summarise } from "./test-summary.mjs";

// Recorded reports: vitest 4 and Playwright 1.65 JSON reporters run on throwaway suites.
const FIXTURES = path.join(import.meta.dirname, "fixtures/test-summary");
const summaryOf = (scenario: string) => {
  const { reports, steps } = readReports(path.join(FIXTURES, scenario));
  return summarise(reports, { steps });
};
const closing = (lines: string[]) => lines.at(-1);

describe("test summary", () => {
  it("a clean run closes on 0 failed", () => {
    const s = summaryOf("clean");
    expect(closing(s.lines)).toBe("tests: 8 passed, 0 failed, 3 skipped");
    expect(s.failed).toBe(0);
  });

  it("counts a suite whose beforeAll failed, and one that failed to import, though no test failed", () => {
    const s = summaryOf("suite-failures");
    expect(s.lines).toContain("lab: 2 passed, 2 failed, 3 skipped");
    expect(s.lines.some((l) => /failed suite: .*a\.test\.ts \(a hook such as beforeAll failed/.test(l))).toBe(true);
    expect(s.lines.some((l) => /failed suite: .*c\.test\.ts \(Cannot find module '\.\/no-such-module'/.test(l))).toBe(true);
    expect(closing(s.lines)).toBe("tests: 8 passed, 2 failed, 5 skipped");
  });

  it("counts a Playwright globalSetup error, which fails no test", () => {
    const s = summaryOf("global-setup");
    expect(s.lines).toContain("playwright: 0 passed, 1 failed, 0 skipped");
    expect(s.lines).toContain("  runner error: Error: lab not up: start it with `npm run lab -- up`");
    expect(closing(s.lines)).toBe("tests: 6 passed, 1 failed, 3 skipped");
  });

  it("names a missing and an unreadable report as failures, with the step that failed before", () => {
    const s = summaryOf("missing");
    expect(s.lines).toContain("  no report: playwright.json is missing (the suite did not run; failed steps: build)");
    expect(s.lines.some((l) => l.startsWith("  unreadable report: lab-down.json is not JSON"))).toBe(true);
    expect(closing(s.lines)).toBe("tests: 4 passed, 2 failed, 2 skipped");
  });

  it("counts a non-zero exit whose report shows no failure (an unhandled error)", () => {
    const { reports } = readReports(path.join(FIXTURES, "clean"));
    const s = summarise(reports.map((r) => (r.name === "unit" ? { ...r, exitCode: 1 } : r)));
    expect(s.lines).toContain("  runner error: the command exited 1 but its report shows no failure (an unhandled error? see the log)");
    expect(s.failed).toBe(1);
  });

  it("counts vitest's success: false with no test run (the lab project's global setup failed)", () => {
    const text = readFileSync(path.join(FIXTURES, "vitest-global-setup-error.json"), "utf8");
    const s = summarise([{ name: "lab", text, exitCode: 1 }]);
    expect(s.lines[1]).toMatch(/^ {2}runner error: vitest reported success: false with no failed test/);
    expect(closing(s.lines)).toBe("tests: 0 passed, 1 failed, 0 skipped");
  });

  it("the CLI ends on the closing line alone and exits 1 when anything failed", () => {
    const run = (scenario: string) => spawnSync(process.execPath, [path.join(import.meta.dirname, "test-summary.mjs"), path.join(FIXTURES, scenario)], { encoding: "utf8" });
    const red = run("missing");
    expect(red.stdout.trimEnd().split("\n").at(-1)).toBe("tests: 4 passed, 2 failed, 2 skipped");
    expect(red.status).toBe(1);
    expect(run("clean").status).toBe(0);
  });
});
